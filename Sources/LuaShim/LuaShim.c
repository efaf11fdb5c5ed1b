// LuaShim: allocator, hook, trampoline, protected helpers and sandbox set-up for Quarry.
// Everything that can raise a Lua error (longjmp) runs in these C frames, never across Swift.
#include "LuaShim.h"

#include <pthread.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char qs_traceback_key = 'T';
static const char qs_fnbox_mt_key = 'F';

// MARK: - Allocator

// Lua makes and frees millions of small objects (strings, tables, closures): blocks of up to 256
// bytes come from free lists by 16-byte size class, carved from 64 KB slabs, with no lock and no
// size look-up (Lua says the old size when it frees); bigger blocks go to malloc. A VM lives on one
// thread at a time, so the lists need no lock. Slabs are freed when the state is closed.
#define QS_SMALL_MAX 256
#define QS_CLASSES (QS_SMALL_MAX / 16 + 1)
#define QS_SLAB_SIZE (64 * 1024)

typedef struct qs_block { struct qs_block *next; } qs_block;
typedef struct qs_slab { struct qs_slab *next; } qs_slab;
typedef struct {
    qs_block *free[QS_CLASSES];
    qs_slab *slabs;
    char *bump, *bump_end;
} qs_pool;

static inline size_t qs_class_of(size_t n) { return (n + 15) >> 4; }

static void *qs_pool_take(qs_ctx *ctx, size_t cls) {
    qs_pool *pool = (qs_pool *)ctx->pool;
    if (pool == NULL) {
        pool = (qs_pool *)calloc(1, sizeof(qs_pool));
        if (pool == NULL) return NULL;
        ctx->pool = pool;
    }
    qs_block *b = pool->free[cls];
    if (b != NULL) {
        pool->free[cls] = b->next;
        return b;
    }
    size_t size = cls << 4;
    if ((size_t)(pool->bump_end - pool->bump) < size) {
        // a new slab; the first 16 bytes link it (keeping blocks 16-byte aligned)
        qs_slab *slab = (qs_slab *)malloc(QS_SLAB_SIZE);
        if (slab == NULL) return NULL;
        slab->next = pool->slabs;
        pool->slabs = slab;
        pool->bump = (char *)slab + 16;
        pool->bump_end = (char *)slab + QS_SLAB_SIZE;
    }
    void *p = pool->bump;
    pool->bump += size;
    return p;
}

static inline void qs_pool_give(qs_ctx *ctx, void *p, size_t cls) {
    qs_pool *pool = (qs_pool *)ctx->pool;
    qs_block *b = (qs_block *)p;
    b->next = pool->free[cls];
    pool->free[cls] = b;
}

static void *qs_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    qs_ctx *ctx = (qs_ctx *)ud;
    size_t old = ptr ? osize : 0;  // for a new object Lua passes its type in osize
    if (nsize == 0) {
        if (ptr != NULL) {
            if (old <= QS_SMALL_MAX) qs_pool_give(ctx, ptr, qs_class_of(old));
            else free(ptr);
        }
        ctx->used -= old;
        return NULL;
    }
    if (nsize > old && ctx->limit > 0 && ctx->enforce > 0 && ctx->used - old + nsize > ctx->limit) {
        return NULL;  // Lua raises "not enough memory"; the state stays usable
    }
    void *p;
    if (ptr != NULL && old > QS_SMALL_MAX && nsize > QS_SMALL_MAX) {
        p = realloc(ptr, nsize);
        if (p == NULL) return NULL;
    } else if (ptr != NULL && old <= QS_SMALL_MAX && nsize <= QS_SMALL_MAX && qs_class_of(old) == qs_class_of(nsize)) {
        p = ptr;  // the block already has room
    } else {
        p = nsize <= QS_SMALL_MAX ? qs_pool_take(ctx, qs_class_of(nsize)) : malloc(nsize);
        if (p == NULL) return NULL;
        if (ptr != NULL) {
            memcpy(p, ptr, old < nsize ? old : nsize);
            if (old <= QS_SMALL_MAX) qs_pool_give(ctx, ptr, qs_class_of(old));
            else free(ptr);
        }
    }
    ctx->used = ctx->used - old + nsize;
    if (ctx->used > ctx->peak) ctx->peak = ctx->used;
    return p;
}


static int qs_panic(lua_State *L) {
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(no message)";
    fprintf(stderr, "quarry: unprotected Lua error (a bug in Quarry): %s\n", msg);
    abort();
}

/// Frees the allocator's slabs (after the state that used them is gone).
static void qs_release_pool(qs_ctx *ctx) {
    qs_pool *pool = (qs_pool *)ctx->pool;
    if (pool == NULL) return;
    for (qs_slab *slab = pool->slabs; slab != NULL;) {
        qs_slab *next = slab->next;
        free(slab);
        slab = next;
    }
    free(pool);
    ctx->pool = NULL;
}

lua_State *qs_newstate(qs_ctx *ctx) {
    lua_State *L = lua_newstate(qs_alloc, ctx);
    if (L == NULL) {
        qs_release_pool(ctx);  // what a failed start allocated
        return NULL;
    }
    lua_atpanic(L, qs_panic);
    // The metatable of Swift function boxes, created once.
    lua_createtable(L, 0, 2);
    lua_pushstring(L, "quarry.function");
    lua_setfield(L, -2, "__name");
    extern int qs_object_gc(lua_State *L);
    lua_pushcfunction(L, qs_object_gc);
    lua_setfield(L, -2, "__gc");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &qs_fnbox_mt_key);
    return L;
}

void qs_close(lua_State *L) {
    qs_ctx *ctx = qs_getctx(L);
    lua_close(L);
    qs_release_pool(ctx);
    free(ctx->samples);
    ctx->samples = NULL;
    ctx->samples_len = ctx->samples_cap = 0;
}

// MARK: - Hook and per-call limits

double qs_monotonic_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

// Lua 5.4 sends every instruction through its hook dispatcher while a count hook is set, which
// makes tight Lua code up to twice as slow. So a call runs without a hook unless it has an
// instruction budget to count. Time and cancellation are watched from outside: a watchdog thread
// looks at the running calls every few milliseconds and signals the thread of one that is past its
// deadline or cancelled; the signal handler sets a count hook (lua_sethook is safe in a signal
// handler: Lua's own interpreter stops scripts on Ctrl-C this way), and the hook raises the error.
// Coroutines keep a count hook of their own (the signal reaches only the thread's main state).

#define QS_PREEMPT_SIGNAL SIGURG

static pthread_mutex_t qs_watch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qs_watch_wake = PTHREAD_COND_INITIALIZER;
static qs_ctx *qs_watched = NULL;  // the VMs with limits, linked through watch_next
static pthread_once_t qs_watch_once = PTHREAD_ONCE_INIT;
static _Thread_local lua_State *qs_running_state;  // the state running a limited call on this thread
static _Thread_local int qs_signal_ready;          // the signal is unblocked on this thread

static void qs_hook(lua_State *L, lua_Debug *ar);

static void qs_preempt(int sig) {
    (void)sig;
    lua_State *L = qs_running_state;
    if (L != NULL) lua_sethook(L, qs_hook, LUA_MASKCOUNT, 1);
}

static void *qs_watchdog(void *unused) {
    (void)unused;
    pthread_mutex_lock(&qs_watch_lock);
    for (;;) {
        int running = 0;
        double now = qs_monotonic_seconds();
        for (qs_ctx *c = qs_watched; c != NULL; c = c->watch_next) {
            if (!c->running) continue;
            running = 1;
            if (c->profiling && !c->signalled && now >= c->next_sample) {
                c->next_sample = now + 0.004;
                c->sample_due = 1;
                pthread_kill(c->thread, QS_PREEMPT_SIGNAL);
            }
            if (c->signalled) continue;
            int cancelled = c->cancel != NULL && __atomic_load_n(c->cancel, __ATOMIC_RELAXED) != 0;
            if (cancelled || (c->deadline > 0 && now > c->deadline)) {
                c->signalled = 1;
                pthread_kill(c->thread, QS_PREEMPT_SIGNAL);  // the thread is inside the call: it holds the lock to leave it
            }
        }
        if (running) {
            pthread_mutex_unlock(&qs_watch_lock);
            struct timespec pause = {0, 4 * 1000 * 1000};
            nanosleep(&pause, NULL);
            pthread_mutex_lock(&qs_watch_lock);
        } else {
            pthread_cond_wait(&qs_watch_wake, &qs_watch_lock);
        }
    }
    return NULL;
}

static void qs_watch_start(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = qs_preempt;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(QS_PREEMPT_SIGNAL, &action, NULL);
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    pthread_create(&thread, &attributes, qs_watchdog, NULL);
    pthread_attr_destroy(&attributes);
}

/// Whether L is its state's main thread (whose hook the signal handler sets).
static int qs_is_main_thread(lua_State *L) {
    int main = lua_pushthread(L);
    lua_pop(L, 1);
    return main;
}

/// The hook a thread has when nothing is due: counting for a call with a budget and for coroutines
/// (which the signal does not reach), none otherwise.
static void qs_rearm(lua_State *L, qs_ctx *ctx) {
    if (ctx->budget > 0 || !qs_is_main_thread(L)) lua_sethook(L, qs_hook, LUA_MASKCOUNT, ctx->period);
    else lua_sethook(L, NULL, 0, 0);
}

/// Appends bytes to the samples buffer (plain malloc: the samples are no Lua memory).
static void qs_samples_append(qs_ctx *ctx, const char *bytes, size_t n) {
    if (ctx->samples_len + n + 1 > ctx->samples_cap) {
        size_t cap = ctx->samples_cap ? ctx->samples_cap * 2 : 64 * 1024;
        while (cap < ctx->samples_len + n + 1) cap *= 2;
        char *grown = realloc(ctx->samples, cap);
        if (grown == NULL) return;  // a sample lost, never a crash
        ctx->samples = grown;
        ctx->samples_cap = cap;
    }
    memcpy(ctx->samples + ctx->samples_len, bytes, n);
    ctx->samples_len += n;
}

/// Appends a frame's name with ';' and line breaks (the folded format's separators) replaced.
static void qs_samples_frame(qs_ctx *ctx, const char *frame) {
    char clean[512];
    size_t n = 0;
    for (; frame[n] != '\0' && n < sizeof clean - 1; n++) {
        char c = frame[n];
        clean[n] = (c == ';' || c == '\n' || c == '\r') ? ':' : c;
    }
    qs_samples_append(ctx, ";", 1);
    qs_samples_append(ctx, clean, n);
}

/// Takes one sample: the label, then the Lua stack from the outermost frame in.
static void qs_take_sample(lua_State *L, qs_ctx *ctx) {
    ctx->sample_due = 0;
    enum { QS_MAX_FRAMES = 48 };
    char frames[QS_MAX_FRAMES][512];
    int n = 0;
    lua_Debug ar;
    for (int level = 0; n < QS_MAX_FRAMES && lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sn", &ar)) continue;
        const char *name = ar.name ? ar.name : "(function)";
        // the file as the plugin was loaded from (short_src cuts long paths with "...")
        const char *file = ar.source != NULL && ar.source[0] == '@' ? ar.source + 1 : ar.short_src;
        if (ar.what[0] == 'C') snprintf(frames[n++], sizeof frames[0], "%s [C]", name);
        else if (ar.what[0] == 'm') snprintf(frames[n++], sizeof frames[0], "(top level) %s", file);
        else snprintf(frames[n++], sizeof frames[0], "%s %s:%d", name, file, ar.linedefined);
    }
    qs_samples_append(ctx, ctx->label[0] ? ctx->label : "lua", strlen(ctx->label[0] ? ctx->label : "lua"));
    for (int i = n - 1; i >= 0; i--) qs_samples_frame(ctx, frames[i]);
    qs_samples_append(ctx, "\n", 1);
}

void qs_profile_start(lua_State *L) {
    qs_ctx *ctx = qs_getctx(L);
    pthread_mutex_lock(&qs_watch_lock);
    ctx->profiling = 1;
    ctx->next_sample = 0;
    pthread_mutex_unlock(&qs_watch_lock);
}

void qs_profile_label(lua_State *L, const char *label) {
    qs_ctx *ctx = qs_getctx(L);
    snprintf(ctx->label, sizeof ctx->label, "%s", label);
}

const char *qs_profile_samples(lua_State *L, size_t *len) {
    qs_ctx *ctx = qs_getctx(L);
    *len = ctx->samples_len;
    return ctx->samples ? ctx->samples : "";
}

void qs_profile_clear(lua_State *L) { qs_getctx(L)->samples_len = 0; }

static void qs_hook(lua_State *L, lua_Debug *ar) {
    qs_ctx *ctx = qs_getctx(L);
    if (ctx->tripped == QS_TRIP_NONE) {
        ctx->executed += lua_gethookcount(L);
        if (ctx->budget > 0 && ctx->executed > ctx->budget) {
            ctx->tripped = QS_TRIP_INSTRUCTIONS;
        } else if (ctx->deadline > 0 && qs_monotonic_seconds() > ctx->deadline) {
            ctx->tripped = QS_TRIP_TIME;
        } else if (ctx->cancel != NULL && __atomic_load_n(ctx->cancel, __ATOMIC_RELAXED) != 0) {
            ctx->tripped = QS_TRIP_CANCEL;
        } else {
            if (ctx->sample_due) qs_take_sample(L, ctx);
            if (lua_gethookcount(L) == 1) qs_rearm(L, ctx);  // a signal's hook with nothing due
            return;
        }
    }
    // Sticky: fire on every instruction until the host's call returns, so `pcall` can't swallow it;
    // in the main thread too when this is a coroutine (its resume returns the error as a value).
    lua_sethook(L, qs_hook, LUA_MASKCOUNT, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
    lua_State *main_thread = lua_tothread(L, -1);
    lua_pop(L, 1);
    if (main_thread != NULL && main_thread != L) lua_sethook(main_thread, qs_hook, LUA_MASKCOUNT, 1);
    lua_getinfo(L, "Sl", ar);
    switch (ctx->tripped) {
    case QS_TRIP_INSTRUCTIONS:
        lua_pushfstring(L, "instruction limit of %I exceeded in %s:%d", (lua_Integer)ctx->budget, ar->short_src,
                        ar->currentline);
        break;
    case QS_TRIP_TIME:
        lua_pushfstring(L, "time limit of %f s exceeded in %s:%d", (lua_Number)ctx->timeout, ar->short_src,
                        ar->currentline);
        break;
    default:
        lua_pushfstring(L, "cancelled in %s:%d", ar->short_src, ar->currentline);
        break;
    }
    lua_error(L);
}

/// coroutine.create and coroutine.wrap that give the new coroutine a count hook (upvalue 1: the
/// library's own function).
static int qs_hooked_cocreate(lua_State *L) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    lua_State *co = lua_tothread(L, -1);
    if (co != NULL) lua_sethook(co, qs_hook, LUA_MASKCOUNT, qs_getctx(L)->period);
    return 1;
}

static int qs_hooked_cowrap(lua_State *L) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    if (lua_getupvalue(L, -1, 1) != NULL) {  // the wrapped coroutine
        lua_State *co = lua_tothread(L, -1);
        if (co != NULL) lua_sethook(co, qs_hook, LUA_MASKCOUNT, qs_getctx(L)->period);
        lua_pop(L, 1);
    }
    return 1;
}

void qs_install_hook(lua_State *L, int period) {
    qs_ctx *ctx = qs_getctx(L);
    ctx->period = period > 0 ? period : 1000;
    ctx->hooked = 1;
    pthread_once(&qs_watch_once, qs_watch_start);
    pthread_mutex_lock(&qs_watch_lock);
    ctx->watch_next = qs_watched;
    qs_watched = ctx;
    pthread_mutex_unlock(&qs_watch_lock);
    if (lua_getglobal(L, "coroutine") == LUA_TTABLE) {
        lua_getfield(L, -1, "create");
        lua_pushcclosure(L, qs_hooked_cocreate, 1);
        lua_setfield(L, -2, "create");
        lua_getfield(L, -1, "wrap");
        lua_pushcclosure(L, qs_hooked_cowrap, 1);
        lua_setfield(L, -2, "wrap");
    }
    lua_pop(L, 1);
}

void qs_uninstall_hook(lua_State *L) {
    qs_ctx *ctx = qs_getctx(L);
    if (!ctx->hooked) return;
    pthread_mutex_lock(&qs_watch_lock);
    for (qs_ctx **link = &qs_watched; *link != NULL; link = &(*link)->watch_next) {
        if (*link == ctx) {
            *link = ctx->watch_next;
            break;
        }
    }
    pthread_mutex_unlock(&qs_watch_lock);
    ctx->hooked = 0;
}

void qs_begin_call(lua_State *L, long long budget, double timeout_seconds, const volatile int *cancel) {
    qs_ctx *ctx = qs_getctx(L);
    ctx->tripped = QS_TRIP_NONE;
    ctx->executed = 0;
    ctx->budget = budget;
    ctx->timeout = timeout_seconds;
    ctx->deadline = timeout_seconds > 0 ? qs_monotonic_seconds() + timeout_seconds : 0;
    ctx->cancel = cancel;
    if (!ctx->hooked) return;
    qs_rearm(L, ctx);
    if (ctx->deadline > 0 || cancel != NULL) {
        if (!qs_signal_ready) {
            // Threads of thread pools (libdispatch's, Swift concurrency's) start with signals blocked.
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, QS_PREEMPT_SIGNAL);
            pthread_sigmask(SIG_UNBLOCK, &set, NULL);
            qs_signal_ready = 1;
        }
        qs_running_state = L;
        pthread_mutex_lock(&qs_watch_lock);
        ctx->thread = pthread_self();
        ctx->signalled = 0;
        ctx->running = 1;
        pthread_cond_signal(&qs_watch_wake);
        pthread_mutex_unlock(&qs_watch_lock);
    }
}

void qs_end_call(lua_State *L) {
    qs_ctx *ctx = qs_getctx(L);
    if (ctx->running) {
        pthread_mutex_lock(&qs_watch_lock);
        ctx->running = 0;
        pthread_mutex_unlock(&qs_watch_lock);
        qs_running_state = NULL;
    }
    ctx->tripped = QS_TRIP_NONE;
    ctx->budget = 0;
    ctx->deadline = 0;
    ctx->cancel = NULL;
    if (ctx->hooked) lua_sethook(L, NULL, 0, 0);
}

/// Checks the time and cancellation limits from long-running C code (pattern matching).
int qs_check_interrupt(lua_State *L) {
    qs_ctx *ctx = qs_getctx(L);
    if (ctx->tripped) return ctx->tripped;
    if (ctx->deadline > 0 && qs_monotonic_seconds() > ctx->deadline) ctx->tripped = QS_TRIP_TIME;
    else if (ctx->cancel != NULL && __atomic_load_n(ctx->cancel, __ATOMIC_RELAXED) != 0) ctx->tripped = QS_TRIP_CANCEL;
    if (ctx->tripped && ctx->hooked) lua_sethook(L, qs_hook, LUA_MASKCOUNT, 1);
    return ctx->tripped;
}

// MARK: - Protected calls

static int qs_msgh(lua_State *L) {
    qs_ctx *ctx = qs_getctx(L);
    int saved = ctx->enforce;
    ctx->enforce = 0;  // building the message must not fail at the cap
    const char *msg;
    int t = lua_type(L, 1);
    if (t == LUA_TSTRING) {
        msg = lua_tostring(L, 1);
    } else if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) {
        msg = lua_tostring(L, -1);
    } else {
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    ctx->where_chunk[0] = '\0';
    ctx->where_line = 0;
    lua_Debug ar;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar)) break;
        if (ar.currentline > 0) {
            strncpy(ctx->where_chunk, ar.short_src, sizeof(ctx->where_chunk) - 1);
            ctx->where_chunk[sizeof(ctx->where_chunk) - 1] = '\0';
            ctx->where_line = ar.currentline;
            break;
        }
    }
    luaL_traceback(L, L, NULL, 1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &qs_traceback_key);
    lua_pushstring(L, msg);
    ctx->enforce = saved;
    return 1;
}

static int qs_pcall_with(lua_State *L, int nargs, int nresults, int enforce) {
    qs_ctx *ctx = qs_getctx(L);
    int fn = lua_gettop(L) - nargs;
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &qs_traceback_key);
    ctx->where_chunk[0] = '\0';
    ctx->where_line = 0;
    lua_pushcfunction(L, qs_msgh);
    lua_rotate(L, fn, 1);
    int saved = ctx->enforce;
    ctx->enforce = enforce ? saved + 1 : 0;
    int status = lua_pcall(L, nargs, nresults, fn);
    ctx->enforce = saved;
    lua_rotate(L, fn, -1);
    lua_settop(L, -2);
    return status;
}

int qs_pcall(lua_State *L, int nargs, int nresults) { return qs_pcall_with(L, nargs, nresults, 1); }
int qs_pcall_host(lua_State *L, int nargs, int nresults) { return qs_pcall_with(L, nargs, nresults, 0); }

void qs_push_last_traceback(lua_State *L) { lua_rawgetp(L, LUA_REGISTRYINDEX, &qs_traceback_key); }

int qs_loadtext(lua_State *L, const char *buf, size_t len, const char *chunkname, const char *mode) {
    return luaL_loadbufferx(L, buf, len, chunkname, mode);
}

static int qs_tostring_k(lua_State *L) {
    luaL_tolstring(L, 1, NULL);
    return 1;
}

int qs_tostring(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, qs_tostring_k);
    lua_pushvalue(L, idx);
    return qs_pcall_host(L, 1, 1);
}

static int qs_settable_k(lua_State *L) {
    lua_settable(L, 1);
    return 0;
}

int qs_settable(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, qs_settable_k);
    lua_pushvalue(L, idx);
    lua_rotate(L, -4, 2);  // fn t k v
    int status = qs_pcall_host(L, 3, 0);
    return status;
}

static int qs_gettable_k(lua_State *L) {
    lua_gettable(L, 1);
    return 1;
}

int qs_gettable(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, qs_gettable_k);
    lua_pushvalue(L, idx);
    lua_rotate(L, -3, 2);  // fn t k
    return qs_pcall_host(L, 2, 1);
}

// MARK: - Swift functions and objects

static int qs_trampoline(lua_State *L) {
    qs_ctx *ctx = qs_getctx(L);
    void **slot = (void **)lua_touserdata(L, lua_upvalueindex(1));
    int saved = ctx->enforce;
    ctx->enforce = 0;  // Swift allocates on Lua's behalf; it must not fail half-way
    int n = ctx->dispatch(L, *slot);
    ctx->enforce = saved;
    if (n >= 0) return n;
    if (n == QS_ERROR) {
        luaL_where(L, 1);
        lua_rotate(L, -2, 1);
        lua_concat(L, 2);
    }
    return lua_error(L);  // the Swift frame has returned: nothing of Swift's is jumped over
}

int qs_object_gc(lua_State *L) {
    void **slot = (void **)lua_touserdata(L, 1);
    if (slot != NULL && *slot != NULL) {
        void *box = *slot;
        *slot = NULL;
        qs_getctx(L)->release(box);
    }
    return 0;
}

void qs_push_swift_function(lua_State *L, void *box) {
    void **slot = (void **)lua_newuserdatauv(L, sizeof(void *), 0);
    *slot = box;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &qs_fnbox_mt_key);
    lua_setmetatable(L, -2);
    lua_pushcclosure(L, qs_trampoline, 1);
}

void qs_push_object(lua_State *L, void *box, int mtidx) {
    mtidx = lua_absindex(L, mtidx);
    void **slot = (void **)lua_newuserdatauv(L, sizeof(void *), 1);
    *slot = box;
    lua_pushvalue(L, mtidx);
    lua_setmetatable(L, -2);
}

void *qs_object_box(lua_State *L, int idx) {
    if (lua_type(L, idx) != LUA_TUSERDATA) return NULL;
    void **slot = (void **)lua_touserdata(L, idx);
    return slot ? *slot : NULL;
}

static int qs_object_index(lua_State *L) {
    // Values the object's Swift side cached for it (its user value table), then methods, then Swift.
    if (lua_getiuservalue(L, 1, 1) == LUA_TTABLE) {
        lua_pushvalue(L, 2);
        if (lua_rawget(L, -2) != LUA_TNIL) return 1;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
    if (lua_type(L, lua_upvalueindex(2)) == LUA_TNIL) return 1;  // nil
    lua_settop(L, 2);
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_rotate(L, 1, 1);
    lua_call(L, 2, 1);
    return 1;
}

void qs_new_object_metatable(lua_State *L, int methods_idx, int index_fn_idx) {
    methods_idx = lua_absindex(L, methods_idx);
    if (index_fn_idx != 0) index_fn_idx = lua_absindex(L, index_fn_idx);
    lua_createtable(L, 0, 4);
    lua_pushcfunction(L, qs_object_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushvalue(L, methods_idx);
    if (index_fn_idx != 0) lua_pushvalue(L, index_fn_idx); else lua_pushnil(L);
    lua_pushcclosure(L, qs_object_index, 2);
    lua_setfield(L, -2, "__index");
}

void qs_object_cache(lua_State *L, int objidx, int keyidx, int validx) {
    objidx = lua_absindex(L, objidx);
    keyidx = lua_absindex(L, keyidx);
    validx = lua_absindex(L, validx);
    if (lua_getiuservalue(L, objidx, 1) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_createtable(L, 0, 4);
        lua_pushvalue(L, -1);
        lua_setiuservalue(L, objidx, 1);
    }
    lua_pushvalue(L, keyidx);
    lua_pushvalue(L, validx);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

// MARK: - Libraries and the sandbox

static int qs_openlibs_full_k(lua_State *L) {
    luaL_openlibs(L);
    return 0;
}

int qs_openlibs_full(lua_State *L) {
    lua_pushcfunction(L, qs_openlibs_full_k);
    return qs_pcall_host(L, 0, 0);
}

extern int qs_pattern_find(lua_State *L);
extern int qs_pattern_match(lua_State *L);
extern int qs_pattern_gmatch(lua_State *L);
extern int qs_pattern_gsub(lua_State *L);

// The sandbox's setmetatable and collectgarbage do their own argument checks, as Lua's do, so that a bad
// argument is reported under the function's name (a wrapper's inner call would be named '?').
static int qs_safe_setmetatable(lua_State *L) {
    int t = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) return luaL_error(L, "cannot change a protected metatable");
    if (t == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL) {
            return luaL_error(L, "setmetatable: __gc metamethods are not allowed in the sandbox");
        }
        lua_pop(L, 1);
    }
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

static int qs_safe_collectgarbage(lua_State *L) {
    // Lua 5.4's options, in its order; the ones after "isrunning" tune or stop the one collector of the VM,
    // which every plugin in it shares, so the sandbox refuses them
    static const char *const options[] = {"collect", "count", "step", "isrunning", "stop", "restart",
                                          "setpause", "setstepmul", "generational", "incremental", NULL};
    int o = luaL_checkoption(L, 1, "collect", options);
    if (o > 3) {
        return luaL_error(L, "collectgarbage: option '%s' is not allowed in the sandbox (it changes the collector "
                             "every plugin of the VM shares)", options[o]);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_rotate(L, 1, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

static void qs_wrap_global(lua_State *L, const char *name, lua_CFunction wrapper) {
    lua_getglobal(L, name);
    lua_pushcclosure(L, wrapper, 1);
    lua_setglobal(L, name);
}

// MARK: - Library loops with bounded work
// string.rep, table.move and table.concat loop in C without running Lua instructions, so the hook a
// timeout sets is never reached: `string.rep("", math.maxinteger)` or `table.move({}, 1, 1 << 40, 1, {})`
// ran for ever. The sandbox's versions check the call's limits as they go (and an empty repetition
// costs nothing); results and errors are otherwise those of Lua's own.

/// Every 65,536 rounds of a library loop: raises the call's time or cancellation error when due.
static void qs_loop_check(lua_State *L, lua_Integer round, const char *fname) {
    if ((round & 0xFFFF) != 0) return;
    int trip = qs_check_interrupt(L);
    if (trip == QS_TRIP_TIME) luaL_error(L, "time limit exceeded in %s", fname);
    if (trip != QS_TRIP_NONE) luaL_error(L, "cancelled in %s", fname);
}

static int qs_safe_rep(lua_State *L) {
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (n <= 0 || l + lsep == 0) {  // nothing to copy, however many times
        lua_pushliteral(L, "");
        return 1;
    }
    // Lua's own: it checks the size and allocates the result (against the memory cap) before copying
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/// A table, or a value whose metatable has the fields a table function uses (as Lua's own checks).
static void qs_check_table(lua_State *L, int arg, int write) {
    if (lua_type(L, arg) == LUA_TTABLE) return;
    int n = 1;
    if (lua_getmetatable(L, arg) && (lua_pushliteral(L, "__index"), ++n, lua_rawget(L, -2) != LUA_TNIL)
        && (!write || (lua_pushliteral(L, "__newindex"), ++n, lua_rawget(L, -n) != LUA_TNIL))) {
        lua_pop(L, n);
        return;
    }
    luaL_checktype(L, arg, LUA_TTABLE);  // raises the usual error
}

static int qs_safe_move(lua_State *L) {
    lua_Integer f = luaL_checkinteger(L, 2);
    lua_Integer e = luaL_checkinteger(L, 3);
    lua_Integer t = luaL_checkinteger(L, 4);
    int tt = !lua_isnoneornil(L, 5) ? 5 : 1;
    qs_check_table(L, 1, 0);
    qs_check_table(L, tt, 1);
    if (e >= f) {
        luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
        lua_Integer n = e - f + 1;
        luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
        if (t > e || t <= f || (tt != 1 && !lua_compare(L, 1, tt, LUA_OPEQ))) {
            for (lua_Integer i = 0; i < n; i++) {
                lua_geti(L, 1, f + i);
                lua_seti(L, tt, t + i);
                qs_loop_check(L, i + 1, "table.move");
            }
        } else {
            for (lua_Integer i = n - 1; i >= 0; i--) {
                lua_geti(L, 1, f + i);
                lua_seti(L, tt, t + i);
                qs_loop_check(L, n - i, "table.move");
            }
        }
    }
    lua_pushvalue(L, tt);
    return 1;
}

static void qs_concat_field(lua_State *L, luaL_Buffer *b, lua_Integer i) {
    lua_geti(L, 1, i);
    if (!lua_isstring(L, -1))
        luaL_error(L, "invalid value (at index %I) in table for 'concat'", (LUAI_UACINT)i);
    luaL_addvalue(b);
}

static int qs_safe_concat(lua_State *L) {
    luaL_Buffer b;
    size_t lsep;
    const char *sep = luaL_optlstring(L, 2, "", &lsep);
    qs_check_table(L, 1, 0);
    lua_Integer i = luaL_optinteger(L, 3, 1);
    lua_Integer last = luaL_opt(L, luaL_checkinteger, 4, luaL_len(L, 1));
    luaL_buffinit(L, &b);
    lua_Integer round = 0;
    for (; i < last; i++) {
        qs_concat_field(L, &b, i);
        luaL_addlstring(&b, sep, lsep);
        qs_loop_check(L, ++round, "table.concat");
    }
    if (i == last) qs_concat_field(L, &b, i);
    luaL_pushresult(&b);
    return 1;
}

/// The sandbox's rawset: Lua's, except on a read-only view (its real metatable has `__readonly`), which
/// rawset would otherwise change under every reader of the view.
static int qs_guarded_rawset(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    luaL_checkany(L, 3);
    if (lua_getmetatable(L, 1)) {
        int readonly = lua_getfield(L, -1, "__readonly") != LUA_TNIL && lua_toboolean(L, -1);
        lua_pop(L, 2);
        if (readonly) return luaL_error(L, "rawset: the table is read-only");
    }
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 1;
}

static int qs_open_sandbox_k(lua_State *L) {
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 1);
    lua_settop(L, 0);

    lua_pushcfunction(L, qs_guarded_rawset);
    lua_setglobal(L, "rawset");

    // Files and the host are out of reach.
    static const char *const removed[] = {"dofile", "loadfile", NULL};
    for (int i = 0; removed[i] != NULL; i++) {
        lua_pushnil(L);
        lua_setglobal(L, removed[i]);
    }
    // os keeps only the clock and the calendar.
    lua_getglobal(L, "os");
    lua_createtable(L, 0, 4);
    static const char *const os_kept[] = {"time", "clock", "date", "difftime", NULL};
    for (int i = 0; os_kept[i] != NULL; i++) {
        lua_getfield(L, -2, os_kept[i]);
        lua_setfield(L, -2, os_kept[i]);
    }
    lua_setglobal(L, "os");
    lua_pop(L, 1);

    lua_pushcfunction(L, qs_safe_setmetatable);
    lua_setglobal(L, "setmetatable");
    qs_wrap_global(L, "collectgarbage", qs_safe_collectgarbage);

    // string: no dump; pattern functions with bounded sizes and work.
    lua_getglobal(L, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pushcfunction(L, qs_pattern_find);
    lua_setfield(L, -2, "find");
    lua_pushcfunction(L, qs_pattern_match);
    lua_setfield(L, -2, "match");
    lua_pushcfunction(L, qs_pattern_gmatch);
    lua_setfield(L, -2, "gmatch");
    lua_pushcfunction(L, qs_pattern_gsub);
    lua_setfield(L, -2, "gsub");
    lua_getfield(L, -1, "rep");
    lua_pushcclosure(L, qs_safe_rep, 1);
    lua_setfield(L, -2, "rep");
    lua_pop(L, 1);

    // table: the loops that run no Lua code check the call's limits as they go.
    lua_getglobal(L, "table");
    lua_pushcfunction(L, qs_safe_move);
    lua_setfield(L, -2, "move");
    lua_pushcfunction(L, qs_safe_concat);
    lua_setfield(L, -2, "concat");
    lua_pop(L, 1);

    // Lock the string metatable: getmetatable("") gives false, its __index stays the library.
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return 0;
}

// MARK: - print

static int qs_env_print(lua_State *L) {
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));  // the host's print
    lua_pushvalue(L, lua_upvalueindex(2));  // the environment's id
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addchar(&b, '\t');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    lua_call(L, 2, 0);
    return 0;
}

static int qs_make_print(lua_State *L) {
    lua_settop(L, 2);
    lua_pushcclosure(L, qs_env_print, 2);
    return 1;
}

void qs_push_print_maker(lua_State *L) { lua_pushcfunction(L, qs_make_print); }

int qs_open_sandbox(lua_State *L) {
    lua_pushcfunction(L, qs_open_sandbox_k);
    return qs_pcall_host(L, 0, 0);
}

// MARK: - The random generator

/// Seeds math.random with two integers, through the math library as opened (its generator is shared by
/// every copy of the library in the state). [-2, +0]
static int qs_seed_random_k(lua_State *L) {
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    if (lua_getfield(L, -1, LUA_MATHLIBNAME) != LUA_TTABLE) return 0;
    if (lua_getfield(L, -1, "randomseed") != LUA_TFUNCTION) return 0;
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_call(L, 2, 0);
    return 0;
}

int qs_seed_random(lua_State *L, long long a, long long b) {
    lua_pushcfunction(L, qs_seed_random_k);
    lua_pushinteger(L, (lua_Integer)a);
    lua_pushinteger(L, (lua_Integer)b);
    int status = qs_pcall_host(L, 2, 0);
    if (status != LUA_OK) lua_pop(L, 1);
    return status;
}

// MARK: - Cancellation flags

int *qs_flag_new(void) { return (int *)calloc(1, sizeof(int)); }
void qs_flag_free(int *flag) { free(flag); }
void qs_flag_set(int *flag, int value) { __atomic_store_n(flag, value, __ATOMIC_RELAXED); }
int qs_flag_get(const int *flag) { return __atomic_load_n(flag, __ATOMIC_RELAXED); }
