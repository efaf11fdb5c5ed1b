// Lua 5.4 pattern matching for the sandbox, written for Quarry with a work budget.
// Same pattern language as string.find/match/gmatch/gsub, but every step is counted, the
// time limit and cancellation are checked as it goes, and subject and pattern sizes are bounded,
// so one backtracking pattern can't hang a worker inside a single C call.
#include "LuaShim.h"

#include <ctype.h>
#include <pthread.h>
#include <string.h>

#define QP_MAXCAPTURES 32
#define QP_MAXDEPTH 200
#define QP_CAP_UNFINISHED (-1)
#define QP_CAP_POSITION (-2)
#define QP_ESC '%'
#define QP_SPECIALS "^$*+?.([%-"


typedef struct {
    const char *src_init, *src_end, *p_end;
    lua_State *L;
    const char *fname;
    int depth;
    int level;  // captures in use
    long long steps, max_steps;
    struct {
        const char *init;
        ptrdiff_t len;
    } capture[QP_MAXCAPTURES];
} lpat_state;

static const char *lpat_match(lpat_state *ms, const char *s, const char *p);

/// Counts a step; every 65,536 steps (and past the budget) the slow path checks the limits.
static void lpat_step_check(lpat_state *ms) {
    if ((ms->steps & 0xFFFF) == 0) {
        int trip = qs_check_interrupt(ms->L);
        if (trip == QS_TRIP_TIME) luaL_error(ms->L, "time limit exceeded in %s", ms->fname);
        if (trip != QS_TRIP_NONE) luaL_error(ms->L, "cancelled in %s", ms->fname);
    }
    if (ms->max_steps > 0 && ms->steps > ms->max_steps) {
        luaL_error(ms->L,
                   "%s: pattern too complex for this subject (more than %I matching steps); "
                   "use doc:find with a regular expression or a simpler pattern",
                   ms->fname, (lua_Integer)ms->max_steps);
    }
}

static inline __attribute__((always_inline)) void lpat_step(lpat_state *ms) {
    ms->steps++;
    if ((ms->steps & 0xFFFF) == 0 || (ms->max_steps > 0 && ms->steps > ms->max_steps)) lpat_step_check(ms);
}

// MARK: - Single characters and classes

// The classes of every byte, read once from <ctype.h> (so in the process's locale, as Lua's own
// matcher reads them), and the class each escape letter names: a table look-up per test instead of
// a call into the C library.
enum {
    QP_A = 1, QP_C = 2, QP_D = 4, QP_G = 8, QP_L = 16, QP_P = 32, QP_S = 64, QP_U = 128, QP_W = 256, QP_X = 512,
    QP_Z = 1024
};
static unsigned short lpat_ctype[256];
static unsigned short lpat_letter_class[256];
static pthread_once_t lpat_tables_once = PTHREAD_ONCE_INIT;

static void lpat_make_tables(void) {
    for (int c = 0; c < 256; c++) {
        unsigned short bits = 0;
        if (isalpha(c)) bits |= QP_A;
        if (iscntrl(c)) bits |= QP_C;
        if (isdigit(c)) bits |= QP_D;
        if (isgraph(c)) bits |= QP_G;
        if (islower(c)) bits |= QP_L;
        if (ispunct(c)) bits |= QP_P;
        if (isspace(c)) bits |= QP_S;
        if (isupper(c)) bits |= QP_U;
        if (isalnum(c)) bits |= QP_W;
        if (isxdigit(c)) bits |= QP_X;
        if (c == 0) bits |= QP_Z;  // %z: the zero byte (deprecated in Lua 5.2, still accepted by 5.4)
        lpat_ctype[c] = bits;
        unsigned short named = 0;
        switch (tolower(c)) {
        case 'a': named = QP_A; break;
        case 'c': named = QP_C; break;
        case 'd': named = QP_D; break;
        case 'g': named = QP_G; break;
        case 'l': named = QP_L; break;
        case 'p': named = QP_P; break;
        case 's': named = QP_S; break;
        case 'u': named = QP_U; break;
        case 'w': named = QP_W; break;
        case 'x': named = QP_X; break;
        case 'z': named = QP_Z; break;
        default: break;
        }
        // an upper-case class letter (%A, %D...) is the complement: marked by the sign bit of the entry
        lpat_letter_class[c] = named ? (unsigned short)(named | (isupper(c) ? 0x8000 : 0)) : 0;
    }
}

/// Whether byte c is in the class of escape letter cl (%a, %D...), or equals cl when cl names none.
static inline __attribute__((always_inline)) int lpat_class(int c, int cl) {
    unsigned short named = lpat_letter_class[cl];
    if (named == 0) return cl == c;
    int res = (lpat_ctype[c] & (named & 0x7FFF)) != 0;
    return (named & 0x8000) ? !res : res;
}

/// End of the single-character class starting at p.
static inline const char *lpat_class_end(lpat_state *ms, const char *p) {
    char c = *p++;
    if (c == QP_ESC) {
        if (p >= ms->p_end) luaL_error(ms->L, "malformed pattern (ends with '%%')");
        return p + 1;
    }
    if (c == '[') {
        if (p < ms->p_end && *p == '^') p++;
        for (;;) {  // the first character of a set, even ']', is part of it
            if (p >= ms->p_end) luaL_error(ms->L, "malformed pattern (missing ']')");
            c = *p++;
            if (c == QP_ESC) {
                if (p >= ms->p_end) luaL_error(ms->L, "malformed pattern (missing ']')");
                p++;
            }
            if (p >= ms->p_end) luaL_error(ms->L, "malformed pattern (missing ']')");
            if (*p == ']') break;
        }
        return p + 1;
    }
    return p;
}

/// Whether c is in the set [p, ec) where *p == '[' and ec points at the closing ']'.
static inline int lpat_in_set(int c, const char *p, const char *ec) {
    int negate = 0;
    p++;
    if (*p == '^') {
        negate = 1;
        p++;
    }
    while (p < ec) {
        if (*p == QP_ESC) {
            p++;
            if (lpat_class(c, (unsigned char)*p)) return !negate;
            p++;
        } else if (p + 2 < ec && p[1] == '-') {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2]) return !negate;
            p += 3;
        } else {
            if ((unsigned char)*p == c) return !negate;
            p++;
        }
    }
    return negate;
}

static inline __attribute__((always_inline)) int lpat_single(lpat_state *ms, const char *s, const char *p, const char *ep) {
    if (s >= ms->src_end) return 0;
    int c = (unsigned char)*s;
    switch (*p) {
    case '.': return 1;
    case QP_ESC: return lpat_class(c, (unsigned char)p[1]);
    case '[': return lpat_in_set(c, p, ep - 1);
    default: return (unsigned char)*p == c;
    }
}

// MARK: - Items

static const char *lpat_balance(lpat_state *ms, const char *s, const char *p) {
    if (p + 1 >= ms->p_end) luaL_error(ms->L, "malformed pattern (missing arguments to '%%b')");
    if (s >= ms->src_end || *s != *p) return NULL;
    int open = *p, close = p[1], depth = 1;
    while (++s < ms->src_end) {
        lpat_step(ms);
        if (*s == close) {
            if (--depth == 0) return s + 1;
        } else if (*s == open) {
            depth++;
        }
    }
    return NULL;
}

static const char *lpat_max_expand(lpat_state *ms, const char *s, const char *p, const char *ep) {
    ptrdiff_t i = 0;
    while (lpat_single(ms, s + i, p, ep)) {
        lpat_step(ms);
        i++;
    }
    while (i >= 0) {  // try the rest with the longest run first
        lpat_step(ms);
        const char *r = lpat_match(ms, s + i, ep + 1);
        if (r) return r;
        i--;
    }
    return NULL;
}

static const char *lpat_min_expand(lpat_state *ms, const char *s, const char *p, const char *ep) {
    for (;;) {
        lpat_step(ms);
        const char *r = lpat_match(ms, s, ep + 1);
        if (r) return r;
        if (lpat_single(ms, s, p, ep)) s++;
        else return NULL;
    }
}

static const char *lpat_start_capture(lpat_state *ms, const char *s, const char *p, int what) {
    if (ms->level >= QP_MAXCAPTURES) luaL_error(ms->L, "too many captures");
    ms->capture[ms->level].init = s;
    ms->capture[ms->level].len = what;
    ms->level++;
    const char *r = lpat_match(ms, s, p);
    if (r == NULL) ms->level--;
    return r;
}

static int lpat_open_capture(lpat_state *ms) {
    for (int l = ms->level - 1; l >= 0; l--) {
        if (ms->capture[l].len == QP_CAP_UNFINISHED) return l;
    }
    return luaL_error(ms->L, "invalid pattern capture");
}

static const char *lpat_end_capture(lpat_state *ms, const char *s, const char *p) {
    int l = lpat_open_capture(ms);
    ms->capture[l].len = s - ms->capture[l].init;
    const char *r = lpat_match(ms, s, p);
    if (r == NULL) ms->capture[l].len = QP_CAP_UNFINISHED;
    return r;
}

static int lpat_check_capture(lpat_state *ms, int l) {
    l -= '1';
    if (l < 0 || l >= ms->level || ms->capture[l].len == QP_CAP_UNFINISHED) {
        return luaL_error(ms->L, "invalid capture index %%%d", l + 1);
    }
    return l;
}

static const char *lpat_match_capture(lpat_state *ms, const char *s, int l) {
    l = lpat_check_capture(ms, l);
    size_t len = (size_t)ms->capture[l].len;
    if ((size_t)(ms->src_end - s) >= len && memcmp(ms->capture[l].init, s, len) == 0) return s + len;
    return NULL;
}

static const char *lpat_match(lpat_state *ms, const char *s, const char *p) {
    if (++ms->depth > QP_MAXDEPTH) luaL_error(ms->L, "pattern too complex (nesting deeper than %d)", QP_MAXDEPTH);
    lpat_step(ms);
    const char *r = NULL;
    for (;;) {
        if (p == ms->p_end) {
            r = s;
            break;
        }
        if (*p == '(') {
            r = (p + 1 < ms->p_end && p[1] == ')') ? lpat_start_capture(ms, s, p + 2, QP_CAP_POSITION)
                                                   : lpat_start_capture(ms, s, p + 1, QP_CAP_UNFINISHED);
            break;
        }
        if (*p == ')') {
            r = lpat_end_capture(ms, s, p + 1);
            break;
        }
        if (*p == '$' && p + 1 == ms->p_end) {
            r = (s == ms->src_end) ? s : NULL;
            break;
        }
        if (*p == QP_ESC && p + 1 < ms->p_end && p[1] == 'b') {
            s = lpat_balance(ms, s, p + 2);
            if (s == NULL) break;
            p += 4;
            continue;
        }
        if (*p == QP_ESC && p + 1 < ms->p_end && p[1] == 'f') {
            p += 2;
            if (p >= ms->p_end || *p != '[') luaL_error(ms->L, "missing '[' after '%%f' in pattern");
            const char *ep = lpat_class_end(ms, p);
            int prev = (s == ms->src_init) ? '\0' : (unsigned char)s[-1];
            int cur = (s < ms->src_end) ? (unsigned char)*s : '\0';
            if (!lpat_in_set(prev, p, ep - 1) && lpat_in_set(cur, p, ep - 1)) {
                p = ep;
                continue;
            }
            s = NULL;
            break;
        }
        if (*p == QP_ESC && p + 1 < ms->p_end && isdigit((unsigned char)p[1])) {
            s = lpat_match_capture(ms, s, (unsigned char)p[1]);
            if (s == NULL) break;
            p += 2;
            continue;
        }
        // A single-character class, maybe with a quantifier.
        const char *ep = lpat_class_end(ms, p);
        char q = ep < ms->p_end ? *ep : '\0';
        if (!lpat_single(ms, s, p, ep)) {
            if (q == '*' || q == '?' || q == '-') {  // accept the empty match
                p = ep + 1;
                continue;
            }
            s = NULL;
            break;
        }
        if (q == '?') {
            const char *res = lpat_match(ms, s + 1, ep + 1);
            if (res != NULL) {
                r = res;
                break;
            }
            p = ep + 1;
            continue;
        }
        if (q == '+') {
            r = lpat_max_expand(ms, s + 1, p, ep);
            break;
        }
        if (q == '*') {
            r = lpat_max_expand(ms, s, p, ep);
            break;
        }
        if (q == '-') {
            r = lpat_min_expand(ms, s, p, ep);
            break;
        }
        s++;
        p = ep;
    }
    ms->depth--;
    return r;
}

// MARK: - Captures to Lua values

static void lpat_push_one(lpat_state *ms, int i, const char *s, const char *e) {
    if (i >= ms->level) {
        if (i != 0) luaL_error(ms->L, "invalid capture index %%%d", i + 1);
        lua_pushlstring(ms->L, s, (size_t)(e - s));  // the whole match
        return;
    }
    ptrdiff_t l = ms->capture[i].len;
    if (l == QP_CAP_UNFINISHED) luaL_error(ms->L, "unfinished capture");
    if (l == QP_CAP_POSITION) {
        lua_pushinteger(ms->L, (ms->capture[i].init - ms->src_init) + 1);
    } else {
        lua_pushlstring(ms->L, ms->capture[i].init, (size_t)l);
    }
}

static int lpat_push_captures(lpat_state *ms, const char *s, const char *e, int whole_if_none) {
    int n = (ms->level == 0 && whole_if_none) ? 1 : ms->level;
    luaL_checkstack(ms->L, n, "too many captures");
    for (int i = 0; i < n; i++) lpat_push_one(ms, i, s, e);
    return n;
}

// MARK: - Bounds and set-up

static size_t lpat_posrelat(lua_Integer pos, size_t len) {
    if (pos > 0) return (size_t)pos;
    if (pos == 0) return 1;
    if (pos < -(lua_Integer)len) return 1;
    return len + (size_t)pos + 1;
}

static void lpat_prepare(lpat_state *ms, lua_State *L, const char *fname, const char *s, size_t ls, const char *p,
                       size_t lp) {
    pthread_once(&lpat_tables_once, lpat_make_tables);
    qs_ctx *ctx = qs_getctx(L);
    if (ctx->pattern_subject_max > 0 && ls > ctx->pattern_subject_max) {
        luaL_error(L, "%s: subject of %I bytes is over the sandbox limit of %I bytes", fname, (lua_Integer)ls,
                   (lua_Integer)ctx->pattern_subject_max);
    }
    if (ctx->pattern_max > 0 && lp > ctx->pattern_max) {
        luaL_error(L, "%s: pattern of %I bytes is over the sandbox limit of %I bytes", fname, (lua_Integer)lp,
                   (lua_Integer)ctx->pattern_max);
    }
    ms->L = L;
    ms->fname = fname;
    ms->src_init = s;
    ms->src_end = s + ls;
    ms->p_end = p + lp;
    ms->depth = 0;
    ms->level = 0;
    ms->steps = 0;
    ms->max_steps = ctx->pattern_steps_max > 0 ? ctx->pattern_steps_max + 32 * (long long)ls : 0;
}

static int lpat_nospecials(const char *p, size_t l) {
    for (size_t i = 0; i < l; i++) {
        if (p[i] != '\0' && strchr(QP_SPECIALS, p[i]) != NULL) return 0;  // strchr finds '\0' at the end
    }
    return 1;
}

static const char *lpat_memfind(const char *s, size_t ls, const char *p, size_t lp) {
    if (lp == 0) return s;
    if (lp > ls) return NULL;
    const char *end = s + (ls - lp) + 1;
    while (s < end) {
        const char *hit = memchr(s, *p, (size_t)(end - s));
        if (hit == NULL) return NULL;
        if (memcmp(hit + 1, p + 1, lp - 1) == 0) return hit;
        s = hit + 1;
    }
    return NULL;
}

static int lpat_find_aux(lua_State *L, int find) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = lpat_posrelat(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    const char *fname = find ? "string.find" : "string.match";
    if (find && (lua_toboolean(L, 4) || lpat_nospecials(p, lp))) {
        const char *hit = lpat_memfind(s + init, ls - init, p, lp);
        if (hit) {
            lua_pushinteger(L, (hit - s) + 1);
            lua_pushinteger(L, (hit - s) + (lua_Integer)lp);
            return 2;
        }
        luaL_pushfail(L);
        return 1;
    }
    lpat_state ms;
    lpat_prepare(&ms, L, fname, s, ls, p, lp);
    int anchor = (lp > 0 && *p == '^');
    if (anchor) {
        p++;
    }
    const char *s1 = s + init;
    do {
        ms.level = 0;
        ms.depth = 0;
        const char *e = lpat_match(&ms, s1, p);
        if (e != NULL) {
            if (find) {
                lua_pushinteger(L, (s1 - s) + 1);
                lua_pushinteger(L, e - s);
                return lpat_push_captures(&ms, NULL, NULL, 0) + 2;
            }
            return lpat_push_captures(&ms, s1, e, 1);
        }
    } while (s1++ < ms.src_end && !anchor);
    luaL_pushfail(L);
    return 1;
}

int qs_pattern_find(lua_State *L) { return lpat_find_aux(L, 1); }
int qs_pattern_match(lua_State *L) { return lpat_find_aux(L, 0); }

// MARK: - gmatch

typedef struct {
    const char *src, *p, *lastmatch;
    lpat_state ms;
} lpat_gmatch_state;

static int lpat_gmatch_next(lua_State *L) {
    lpat_gmatch_state *gm = (lpat_gmatch_state *)lua_touserdata(L, lua_upvalueindex(3));
    gm->ms.L = L;
    for (const char *src = gm->src; src <= gm->ms.src_end; src++) {
        gm->ms.level = 0;
        gm->ms.depth = 0;
        const char *e = lpat_match(&gm->ms, src, gm->p);
        if (e != NULL && e != gm->lastmatch) {
            gm->src = gm->lastmatch = e;
            return lpat_push_captures(&gm->ms, src, e, 1);
        }
    }
    return 0;
}

int qs_pattern_gmatch(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = lpat_posrelat(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) init = ls + 1;
    lua_settop(L, 2);
    lpat_gmatch_state *gm = (lpat_gmatch_state *)lua_newuserdatauv(L, sizeof(lpat_gmatch_state), 0);
    lpat_prepare(&gm->ms, L, "string.gmatch", s, ls, p, lp);
    gm->src = s + init;
    gm->p = p;
    gm->lastmatch = NULL;
    lua_pushcclosure(L, lpat_gmatch_next, 3);  // keeps subject and pattern alive
    return 1;
}

// MARK: - gsub

static void lpat_add_string(lpat_state *ms, luaL_Buffer *b, const char *s, const char *e) {
    size_t l;
    lua_State *L = ms->L;
    const char *news = lua_tolstring(L, 3, &l);
    const char *p;
    while ((p = (const char *)memchr(news, QP_ESC, l)) != NULL) {
        luaL_addlstring(b, news, (size_t)(p - news));
        p++;
        if (*p == QP_ESC) {
            luaL_addchar(b, *p);
        } else if (*p == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (isdigit((unsigned char)*p)) {
            lpat_push_one(ms, *p - '1', s, e);
            luaL_tolstring(L, -1, NULL);
            lua_remove(L, -2);
            luaL_addvalue(b);
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string", QP_ESC);
        }
        l -= (size_t)(p + 1 - news);
        news = p + 1;
    }
    luaL_addlstring(b, news, l);
}

static int lpat_add_value(lpat_state *ms, luaL_Buffer *b, const char *s, const char *e, int tr) {
    lua_State *L = ms->L;
    if (tr == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int n = lpat_push_captures(ms, s, e, 1);
        lua_call(L, n, 1);
    } else if (tr == LUA_TTABLE) {
        lpat_push_one(ms, 0, s, e);
        lua_gettable(L, 3);
    } else {
        lpat_add_string(ms, b, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) {  // nil or false: keep the original text
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1)) return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return 1;
}

int qs_pattern_gsub(lua_State *L) {
    size_t srcl, lp;
    const char *src = luaL_checklstring(L, 1, &srcl);
    const char *p = luaL_checklstring(L, 2, &lp);
    const char *lastmatch = NULL;
    int tr = lua_type(L, 3);
    lua_Integer max_s = luaL_optinteger(L, 4, (lua_Integer)srcl + 1);
    luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TFUNCTION || tr == LUA_TTABLE, 3,
                     "string/function/table");
    int anchor = (lp > 0 && *p == '^');
    lua_Integer n = 0;
    int changed = 0;
    lpat_state ms;
    lpat_prepare(&ms, L, "string.gsub", src, srcl, p, lp);
    if (anchor) {
        p++;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    while (n < max_s) {
        ms.level = 0;
        ms.depth = 0;
        const char *e = lpat_match(&ms, src, p);
        if (e != NULL && e != lastmatch) {
            n++;
            changed = lpat_add_value(&ms, &b, src, e, tr) | changed;
            src = lastmatch = e;
        } else if (src < ms.src_end) {
            luaL_addchar(&b, *src++);
        } else {
            break;
        }
        if (anchor) break;
    }
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, src, (size_t)(ms.src_end - src));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}
