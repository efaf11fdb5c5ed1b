// LuaShim: the C side of Quarry's Lua bridge.
// Wraps Lua's macros for Swift, owns the one call trampoline, the capped allocator, the
// instruction/time hook and the protected helpers. Every call that may raise runs here, in C.
#ifndef QUARRY_LUASHIM_H
#define QUARRY_LUASHIM_H

#include <pthread.h>
#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>
#include <stddef.h>
#include <stdint.h>

/// Called by the trampoline for every Swift function. Returns the number of results
/// (>= 0), or QS_ERROR with an error message string on top of the stack.
typedef int (*qs_dispatch_fn)(lua_State *L, void *box);
/// Releases a Swift object handed to Lua (called from `__gc` of its userdata).
typedef void (*qs_release_fn)(void *box);

#define QS_ERROR (-1)      /* raise the message on top, prefixed with the caller's position */
#define QS_ERROR_RAW (-2)  /* raise the value on top as it is */

/// Which limit stopped the current call, if any.
typedef enum {
    QS_TRIP_NONE = 0,
    QS_TRIP_INSTRUCTIONS = 1,
    QS_TRIP_TIME = 2,
    QS_TRIP_CANCEL = 3,
    QS_TRIP_PATTERN = 4
} qs_trip;

/// Per-VM state, reachable from any lua_State of the VM through the allocator's user data.
typedef struct qs_ctx {
    size_t used;                  // bytes allocated by Lua now
    size_t peak;                  // most bytes allocated at once
    size_t limit;                 // 0: no cap
    int enforce;                  // > 0: the cap is enforced (Lua code running, not Swift)
    qs_dispatch_fn dispatch;
    qs_release_fn release;
    void *owner;                  // the Swift LuaVM (unretained)
    // per call limits
    long long budget;             // instruction budget of the current call, 0: none
    long long executed;           // instructions counted so far in the current call
    double deadline;              // CLOCK_MONOTONIC seconds, 0: none
    double timeout;               // the timeout the deadline came from, for messages
    const volatile int *cancel;   // set to non-zero by another thread to stop the call
    int tripped;                  // qs_trip
    int period;                   // hook period in instructions
    int hooked;                   // whether calls have limits (the VM is watched)
    // the watchdog's view (read and written under its lock)
    struct qs_ctx *watch_next;    // the next watched VM
    pthread_t thread;             // the thread running the current call
    int running;                  // a call with a deadline or a cancellation flag is running
    int signalled;                // the watchdog signalled this call already
    // pattern bounds
    size_t pattern_subject_max;
    size_t pattern_max;
    long long pattern_steps_max;
    // where the last error happened (first Lua frame with a line)
    char where_chunk[512];
    int where_line;
    // small blocks: free lists by 16-byte size class, carved from slabs (see qs_alloc)
    void *pool;
    // the sampling profiler (see qs_profile_start): the watchdog asks for a sample every few milliseconds
    int profiling;                // samples are taken while limited calls run
    volatile int sample_due;      // set by the watchdog, cleared by the hook that takes the sample
    double next_sample;           // when the watchdog asks next (its own clock)
    char *samples;                // folded stacks, one line per sample: "label;outer;...;inner\n" (malloc'd)
    size_t samples_len, samples_cap;
    char label[128];              // the samples' root frame: what the host is running (a plugin and phase)
} qs_ctx;

// MARK: - Sampling profiler

/// Starts taking samples of the running Lua stack, about every 4 ms of a limited call (the watchdog
/// signals the thread; the count hook it sets walks the stack): no hook on the hot path between samples.
void qs_profile_start(lua_State *L);
/// The root frame of the next samples (e.g. "entities/process"); truncated to 127 bytes.
void qs_profile_label(lua_State *L, const char *label);
/// The samples so far ("label;outer;...;inner\n" each) and their length; valid until the next call.
const char *qs_profile_samples(lua_State *L, size_t *len);
/// Forgets the samples so far.
void qs_profile_clear(lua_State *L);

// MARK: - State

/// Creates a state with the capped allocator; NULL when out of memory.
lua_State *qs_newstate(qs_ctx *ctx);
/// Closes a state made by qs_newstate and frees its allocator's slabs.
void qs_close(lua_State *L);
static inline qs_ctx *qs_getctx(lua_State *L) {
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return (qs_ctx *)ud;
}
/// Puts the VM's calls under limits: the watchdog watches it (time, cancellation), coroutines it
/// creates count instructions every `period`, calls with a budget count too.
void qs_install_hook(lua_State *L, int period);
/// Stops watching the VM (before lua_close).
void qs_uninstall_hook(lua_State *L);
/// Resets the per-call limit state and sets the budget and deadline for the next call.
void qs_begin_call(lua_State *L, long long budget, double timeout_seconds, const volatile int *cancel);
/// Clears the per-call limits after a call; re-arms the hook at its normal period.
void qs_end_call(lua_State *L);
double qs_monotonic_seconds(void);

// MARK: - Protected operations (never raise into Swift)

/// Opens the full standard library under protection. Returns a status.
int qs_openlibs_full(lua_State *L);
/// Opens the safe libraries (base, coroutine, table, string, math, utf8, os) and removes
/// what the sandbox never allows; installs bounded pattern functions and the guarded
/// `setmetatable`. Returns a status; on error the message is on top.
int qs_open_sandbox(lua_State *L);
/// Checks the call's time and cancellation limits from long host or C work; the trip (0: none). [-0, +0]
int qs_check_interrupt(lua_State *L);
/// Seeds math.random (protected; 0 when done). [-0, +0]
int qs_seed_random(lua_State *L, long long a, long long b);
/// Pushes the maker of environments' `print` functions: `make(host_print, id)` returns a C function that,
/// like Lua's print, converts its arguments with luaL_tolstring and passes `id` and the line to host_print. [-0, +1]
void qs_push_print_maker(lua_State *L);
/// Loads a text chunk (mode "t"). [-0, +1, -]
int qs_loadtext(lua_State *L, const char *buf, size_t len, const char *chunkname, const char *mode);
/// Calls the function below `nargs` arguments with the traceback handler, limits enforced.
/// [-(nargs+1), +(nresults|1), -]
int qs_pcall(lua_State *L, int nargs, int nresults);
/// Calls with the traceback handler but without enforcing the cap (host-side work).
int qs_pcall_host(lua_State *L, int nargs, int nresults);
/// The traceback of the last error handled by qs_pcall, pushed (or nil). [-0, +1, -]
void qs_push_last_traceback(lua_State *L);
/// `tostring` of the value at idx under protection (runs `__tostring`). [-0, +1, -]
int qs_tostring(lua_State *L, int idx);
/// t[k] = v where t is at idx, k and v on top, under protection. [-2, +0, -]
int qs_settable(lua_State *L, int idx);
/// pushes t[k] where t is at idx and k on top, under protection. [-1, +1, -]
int qs_gettable(lua_State *L, int idx);

// MARK: - Swift functions and objects

/// Pushes a C closure that dispatches to the Swift box (released when Lua collects it).
/// [-0, +1, m]
void qs_push_swift_function(lua_State *L, void *box);
/// Pushes a full userdata holding `box` with the metatable at `mtidx`. [-0, +1, m]
void qs_push_object(lua_State *L, void *box, int mtidx);
/// The box stored in a Quarry userdata at idx, or NULL.
void *qs_object_box(lua_State *L, int idx);
/// Caches t[key] = value in the object's user value table, which `__index` consults first.
/// [-0, +0, m]
void qs_object_cache(lua_State *L, int objidx, int keyidx, int validx);
/// Creates the metatable for Swift objects: `__gc` releases the box; `__index` looks in
/// `methods` (table at methods_idx) and then calls the function at index_fn_idx (0: none).
/// [-0, +1, m]
void qs_new_object_metatable(lua_State *L, int methods_idx, int index_fn_idx);

// MARK: - Macros Swift cannot import

static inline void qs_pop(lua_State *L, int n) { lua_settop(L, -(n)-1); }
static inline void qs_newtable(lua_State *L) { lua_createtable(L, 0, 0); }
static inline int qs_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline int qs_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline const char *qs_tostringx(lua_State *L, int idx, size_t *len) { return lua_tolstring(L, idx, len); }
static inline int qs_isinteger(lua_State *L, int idx) { return lua_isinteger(L, idx); }
static inline lua_Integer qs_tointeger(lua_State *L, int idx, int *isnum) { return lua_tointegerx(L, idx, isnum); }
static inline lua_Number qs_tonumber(lua_State *L, int idx, int *isnum) { return lua_tonumberx(L, idx, isnum); }
static inline void qs_pushglobaltable(lua_State *L) { lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS); }
static inline void qs_insert(lua_State *L, int idx) { lua_rotate(L, idx, 1); }
static inline void qs_remove(lua_State *L, int idx) { lua_rotate(L, idx, -1); lua_settop(L, -2); }
static inline int qs_gc_count_kb(lua_State *L) { return lua_gc(L, LUA_GCCOUNT, 0); }
static inline void qs_gc_collect(lua_State *L) { lua_gc(L, LUA_GCCOLLECT, 0); }
static inline void qs_gc_step(lua_State *L, int kb) { lua_gc(L, LUA_GCSTEP, kb); }
static inline void qs_gc_set_pause(lua_State *L, int pause) { lua_gc(L, LUA_GCINC, pause, 0, 0); }
static inline const char *qs_typename(lua_State *L, int idx) { return luaL_typename(L, idx); }
static inline const char *qs_version(void) { return LUA_RELEASE; }

// MARK: - Cancellation flags shared across threads

int *qs_flag_new(void);
void qs_flag_free(int *flag);
void qs_flag_set(int *flag, int value);
int qs_flag_get(const int *flag);

#endif
