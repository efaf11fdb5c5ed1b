// PluginShim: spans and lazy views over a document's columns, for the Lua API's hot paths.
// Raising here is fine: these are C functions called by Lua, with no Swift frame in between.
#include <limits.h>
#include "PluginShim.h"

#include <string.h>

// MARK: - Spans

static uint32_t qp_count(const qp_doc *doc, uint8_t kind) {
    switch (kind) {
    case QP_SPAN_TOKEN: return doc->ntokens;
    case QP_SPAN_SENTENCE: return doc->nsentences;
    case QP_SPAN_BLOCK: return doc->nblocks;
    case QP_SPAN_QUOTE: return doc->nquotes;
    default: return 0;
    }
}

static void qp_item_range(const qp_doc *doc, uint8_t kind, uint32_t i, uint32_t *start, uint32_t *end) {
    switch (kind) {
    case QP_SPAN_TOKEN: *start = doc->tok_start[i]; *end = doc->tok_end[i]; break;
    case QP_SPAN_SENTENCE: *start = doc->sen_start[i]; *end = doc->sen_end[i]; break;
    case QP_SPAN_BLOCK: *start = doc->blk_start[i]; *end = doc->blk_end[i]; break;
    default: *start = doc->quo_start[i]; *end = doc->quo_end[i]; break;
    }
}

static qp_span *qp_new_span(lua_State *L, int doc_idx, const qp_doc *doc, uint32_t start, uint32_t end,
                            int32_t index, uint8_t kind, int span_mt_idx, int nuvalues) {
    qp_span *span = (qp_span *)lua_newuserdatauv(L, sizeof(qp_span), nuvalues);
    span->doc = doc;
    span->start = start;
    span->end = end;
    span->index = index;
    span->kind = kind;
    lua_pushvalue(L, doc_idx);
    lua_setiuservalue(L, -2, 1);
    lua_pushvalue(L, span_mt_idx);
    lua_setmetatable(L, -2);
    return span;
}

qp_span *qp_push_span(lua_State *L, int doc_idx, const qp_doc *doc, uint32_t start, uint32_t end, int32_t index,
                      uint8_t kind, int span_mt_idx) {
    // Spans made from Swift may get extras (a match's key, data, groups): room for two user values.
    return qp_new_span(L, lua_absindex(L, doc_idx), doc, start, end, index, kind, lua_absindex(L, span_mt_idx), 2);
}

qp_span *qp_to_span(lua_State *L, int idx, int span_mt_idx) {
    span_mt_idx = lua_absindex(L, span_mt_idx);
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return NULL;
    int same = lua_rawequal(L, -1, span_mt_idx);
    lua_pop(L, 1);
    return same ? (qp_span *)lua_touserdata(L, idx) : NULL;
}

qp_view *qp_to_view(lua_State *L, int idx, int view_mt_idx) {
    view_mt_idx = lua_absindex(L, view_mt_idx);
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return NULL;
    int same = lua_rawequal(L, -1, view_mt_idx);
    lua_pop(L, 1);
    return same ? (qp_view *)lua_touserdata(L, idx) : NULL;
}

void qp_push_owner(lua_State *L, int idx) { lua_getiuservalue(L, idx, 1); }

void qp_set_span_extras(lua_State *L, int span_idx) {
    span_idx = lua_absindex(L, span_idx);
    lua_setiuservalue(L, span_idx, 2);
}

/// The field names C serves, as the state's interned strings: a key is one of them when its
/// pointer is (short strings are interned), so the common case costs no string comparison.
enum { QP_KEY_START, QP_KEY_STOP, QP_KEY_TEXT, QP_KEY_KIND, QP_KEY_INDEX, QP_KEY_LEVEL, QP_KEY_NORM, QP_NKEYS };
static const char *const qp_key_names[QP_NKEYS] = {"start", "stop", "text", "kind", "index", "level", "norm"};

/// A token's norm when its text is short and all ASCII: the text in lower case (the tokenizer stores a norm
/// of its own only for tokens with non-ASCII bytes, and lower-casing ASCII is the same in Swift). Pushes it
/// and returns 1, or returns 0 for the general path (FastPathTests compares the two).
static int qp_push_ascii_norm(lua_State *L, const char *s, size_t n) {
    char out[64];
    if (n > sizeof out) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) return 0;
        out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    lua_pushlstring(L, out, n);
    return 1;
}
typedef struct { const char *keys[QP_NKEYS]; } qp_span_keys;

/// span.key: the common fields in C; methods from upvalue 1; the rest from Swift (upvalue 2).
/// Upvalues: 1 methods, 2 fallback, 3 token kind names, 4 block kind names, 5 flag bits by name,
/// 6 the interned field names (qp_span_keys), 7 a table keeping those strings alive.
static int qp_span_index(lua_State *L) {
    qp_span *span = (qp_span *)lua_touserdata(L, 1);
    if (lua_type(L, 2) == LUA_TSTRING) {
        size_t len;
        const char *key = lua_tolstring(L, 2, &len);
        const qp_span_keys *keys = (const qp_span_keys *)lua_touserdata(L, lua_upvalueindex(6));
        if (key == keys->keys[QP_KEY_KIND]) {
            if (span->kind == QP_SPAN_TOKEN) {
                lua_rawgeti(L, lua_upvalueindex(3), span->doc->tok_kind[span->index] + 1);
                return 1;
            }
        } else if (key == keys->keys[QP_KEY_TEXT]) {
            lua_pushlstring(L, span->doc->text + span->start, span->end - span->start);
            return 1;
        } else if (key == keys->keys[QP_KEY_START]) {
            lua_pushinteger(L, (lua_Integer)span->start + 1);
            return 1;
        } else if (key == keys->keys[QP_KEY_STOP]) {
            lua_pushinteger(L, (lua_Integer)span->end);
            return 1;
        } else if (key == keys->keys[QP_KEY_NORM] && span->kind == QP_SPAN_TOKEN) {
            if (qp_push_ascii_norm(L, span->doc->text + span->start, span->end - span->start)) return 1;
        }
        switch (key[0]) {
        case 's':
            if (strcmp(key, "start") == 0) { lua_pushinteger(L, (lua_Integer)span->start + 1); return 1; }
            if (strcmp(key, "stop") == 0) { lua_pushinteger(L, (lua_Integer)span->end); return 1; }
            break;
        case 't':
            if (strcmp(key, "text") == 0) {
                lua_pushlstring(L, span->doc->text + span->start, span->end - span->start);
                return 1;
            }
            break;
        case 'k':
            if (strcmp(key, "kind") == 0) {
                if (span->kind == QP_SPAN_TOKEN) {
                    lua_rawgeti(L, lua_upvalueindex(3), span->doc->tok_kind[span->index] + 1);
                    return 1;
                }
                if (span->kind == QP_SPAN_BLOCK) {
                    lua_rawgeti(L, lua_upvalueindex(4), span->doc->blk_kind[span->index] + 1);
                    return 1;
                }
            }
            break;
        case 'i':
            if (strcmp(key, "index") == 0) {
                if (span->index < 0) lua_pushnil(L); else lua_pushinteger(L, (lua_Integer)span->index + 1);
                return 1;
            }
            break;
        case 'l':
            if (span->kind == QP_SPAN_BLOCK && strcmp(key, "level") == 0) {
                lua_pushinteger(L, span->doc->blk_level[span->index]);
                return 1;
            }
            break;
        default: break;
        }
        if (span->kind == QP_SPAN_TOKEN) {
            lua_pushvalue(L, 2);
            if (lua_rawget(L, lua_upvalueindex(5)) == LUA_TNUMBER) {
                lua_Integer bit = lua_tointeger(L, -1);
                lua_pushboolean(L, (span->doc->tok_flags[span->index] & (uint8_t)bit) != 0);
                return 1;
            }
            lua_pop(L, 1);
        }
        lua_pushvalue(L, 2);
        if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
        lua_pop(L, 1);
        if (lua_getiuservalue(L, 1, 2) == LUA_TTABLE) {  // extras: a match's key, data, groups
            lua_pushvalue(L, 2);
            if (lua_rawget(L, -2) != LUA_TNIL) return 1;
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_call(L, 2, 1);
    return 1;
}

/// The span at `idx` when it is a userdata with the span metatable (the closure's upvalue 1), else NULL:
/// comparisons get any value as their other operand, and only a span may be read as one.
static qp_span *qp_span_operand(lua_State *L, int idx) {
    qp_span *span = (qp_span *)lua_touserdata(L, idx);
    if (span == NULL || !lua_getmetatable(L, idx)) return NULL;
    int same = lua_rawequal(L, -1, lua_upvalueindex(1));
    lua_pop(L, 1);
    return same ? span : NULL;
}

static int qp_span_eq(lua_State *L) {
    qp_span *a = qp_span_operand(L, 1);
    qp_span *b = qp_span_operand(L, 2);
    lua_pushboolean(L, a && b && a->doc == b->doc && a->start == b->start && a->end == b->end && a->kind == b->kind);
    return 1;
}

static int qp_span_len(lua_State *L) {
    qp_span *span = (qp_span *)lua_touserdata(L, 1);
    lua_pushinteger(L, (lua_Integer)(span->end - span->start));
    return 1;
}

static int qp_span_lt(lua_State *L) {
    qp_span *a = qp_span_operand(L, 1);
    qp_span *b = qp_span_operand(L, 2);
    if (a == NULL || b == NULL) return luaL_error(L, "attempt to compare a span with a %s", luaL_typename(L, a ? 2 : 1));
    lua_pushboolean(L, a->start < b->start || (a->start == b->start && a->end > b->end));
    return 1;
}

static int qp_span_tostring(lua_State *L) {
    qp_span *span = (qp_span *)lua_touserdata(L, 1);
    static const char *const names[] = {"Token", "Sentence", "Block", "Quote", "Span", "Match", "Annotation"};
    size_t len = span->end - span->start;
    const char *text = span->doc->text + span->start;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    lua_pushfstring(L, "%s[%d..%d] \"", names[span->kind < 7 ? span->kind : 4], (int)span->start + 1, (int)span->end);
    luaL_addvalue(&b);
    size_t shown = len > 60 ? 60 : len;
    while (shown > 0 && shown < len && (text[shown] & 0xC0) == 0x80) shown--;  // whole characters
    for (size_t i = 0; i < shown; i++) luaL_addchar(&b, text[i] == '\n' ? ' ' : text[i]);
    if (shown < len) luaL_addstring(&b, "...");
    luaL_addchar(&b, '"');
    luaL_pushresult(&b);
    return 1;
}

static int qp_span_newindex(lua_State *L) {
    const char *key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : luaL_typename(L, 2);
    return luaL_error(L, "spans are read-only (cannot set field '%s')", key);
}

void qp_new_span_metatable(lua_State *L, int methods_idx, int fallback_idx, int token_kinds_idx,
                           int block_kinds_idx, int flag_names_idx) {
    methods_idx = lua_absindex(L, methods_idx);
    fallback_idx = lua_absindex(L, fallback_idx);
    token_kinds_idx = lua_absindex(L, token_kinds_idx);
    block_kinds_idx = lua_absindex(L, block_kinds_idx);
    flag_names_idx = lua_absindex(L, flag_names_idx);
    lua_createtable(L, 0, 8);
    lua_pushvalue(L, methods_idx);
    lua_pushvalue(L, fallback_idx);
    lua_pushvalue(L, token_kinds_idx);
    lua_pushvalue(L, block_kinds_idx);
    lua_pushvalue(L, flag_names_idx);
    qp_span_keys *keys = (qp_span_keys *)lua_newuserdatauv(L, sizeof(qp_span_keys), 0);
    lua_createtable(L, QP_NKEYS, 0);
    for (int i = 0; i < QP_NKEYS; i++) {
        keys->keys[i] = lua_pushstring(L, qp_key_names[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_pushcclosure(L, qp_span_index, 7);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, qp_span_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushvalue(L, -1);
    lua_pushcclosure(L, qp_span_eq, 1);
    lua_setfield(L, -2, "__eq");
    lua_pushvalue(L, -1);
    lua_pushcclosure(L, qp_span_lt, 1);
    lua_setfield(L, -2, "__lt");
    lua_pushcfunction(L, qp_span_len);
    lua_setfield(L, -2, "__len");
    lua_pushcfunction(L, qp_span_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "quarry.Span");
    lua_setfield(L, -2, "__name");
    lua_pushliteral(L, "quarry.Span");
    lua_setfield(L, -2, "__metatable");
}

// MARK: - Views

void qp_push_view(lua_State *L, int doc_idx, const qp_doc *doc, uint8_t kind, int view_mt_idx) {
    doc_idx = lua_absindex(L, doc_idx);
    view_mt_idx = lua_absindex(L, view_mt_idx);
    qp_view *view = (qp_view *)lua_newuserdatauv(L, sizeof(qp_view), 1);
    view->doc = doc;
    view->kind = kind;
    lua_pushvalue(L, doc_idx);
    lua_setiuservalue(L, -2, 1);
    lua_pushvalue(L, view_mt_idx);
    lua_setmetatable(L, -2);
}

static int qp_view_len(lua_State *L) {
    qp_view *view = (qp_view *)lua_touserdata(L, 1);
    lua_pushinteger(L, qp_count(view->doc, view->kind));
    return 1;
}

/// view[i]: a new span for item i (1-based), nil out of range. Upvalues: 1 span metatable, 2 methods.
static int qp_view_index(lua_State *L) {
    qp_view *view = (qp_view *)lua_touserdata(L, 1);
    int isnum = 0;
    lua_Integer i = lua_isinteger(L, 2) ? lua_tointeger(L, 2)
                    : (lua_type(L, 2) == LUA_TNUMBER ? lua_tointegerx(L, 2, &isnum) : 0);
    if (lua_isinteger(L, 2) || isnum) {
        uint32_t count = qp_count(view->doc, view->kind);
        if (i < 1 || (lua_Unsigned)i > count) {
            lua_pushnil(L);
            return 1;
        }
        uint32_t start, end;
        qp_item_range(view->doc, view->kind, (uint32_t)(i - 1), &start, &end);
        lua_getiuservalue(L, 1, 1);
        qp_new_span(L, lua_gettop(L), view->doc, start, end, (int32_t)(i - 1), view->kind, lua_upvalueindex(1), 1);
        return 1;
    }
    lua_pushvalue(L, 2);
    lua_rawget(L, lua_upvalueindex(2));
    return 1;
}

static int qp_view_tostring(lua_State *L) {
    qp_view *view = (qp_view *)lua_touserdata(L, 1);
    static const char *const names[] = {"tokens", "sentences", "blocks", "quotes"};
    lua_pushfstring(L, "View(%s, %d)", names[view->kind < 4 ? view->kind : 0], (int)qp_count(view->doc, view->kind));
    return 1;
}

static int qp_view_newindex(lua_State *L) {
    return luaL_error(L, "document views are read-only");
}

/// The iterator behind `for i, item in view:iter()` and `ipairs(view)`-free loops.
static int qp_view_next(lua_State *L) {
    qp_view *view = (qp_view *)lua_touserdata(L, 1);
    lua_Integer i = luaL_checkinteger(L, 2) + 1;
    if (i < 1 || (lua_Unsigned)i > qp_count(view->doc, view->kind)) return 0;
    uint32_t start, end;
    qp_item_range(view->doc, view->kind, (uint32_t)(i - 1), &start, &end);
    lua_pushinteger(L, i);
    lua_getiuservalue(L, 1, 1);
    qp_new_span(L, lua_gettop(L), view->doc, start, end, (int32_t)(i - 1), view->kind, lua_upvalueindex(1), 1);
    lua_remove(L, -2);
    return 2;
}

/// What `view:each(filter)` keeps: kinds as bits (tokens and blocks), token flags that must be
/// set or clear, a block level.
typedef struct qp_each_filter {
    uint32_t kinds;  // 0: any
    uint8_t flags_on, flags_off;
    int level;  // -1: any; -2: none (a level no block can have: negative, or past INT_MAX)
} qp_each_filter;

static int qp_each_keeps(const qp_view *view, const qp_each_filter *f, uint32_t i) {
    const qp_doc *doc = view->doc;
    if (view->kind == QP_SPAN_TOKEN) {
        if (f->kinds && !(f->kinds & (1u << doc->tok_kind[i]))) return 0;
        uint8_t flags = doc->tok_flags[i];
        return (flags & f->flags_on) == f->flags_on && (flags & f->flags_off) == 0;
    }
    if (view->kind == QP_SPAN_BLOCK) {
        if (f->kinds && !(f->kinds & (1u << doc->blk_kind[i]))) return 0;
        return f->level == -1 || (f->level >= 0 && doc->blk_level[i] == f->level);
    }
    return 1;
}

/// The state of one `view:each()` loop, in one userdata so that a step costs few API calls.
typedef struct qp_each_state {
    qp_view view;      // the document (kept alive by the cursor's user value) and which table
    qp_span *cursor;   // the span handed out at each step
    uint32_t next;     // the next index (0-based)
    int filtered;
    qp_each_filter filter;
} qp_each_state;

/// `for t in view:each()`: one cursor span, moved along the view: no allocation per item.
/// Upvalues: 1 the loop state (qp_each_state), 2 the cursor span.
static int qp_view_each_next(lua_State *L) {
    qp_each_state *st = (qp_each_state *)lua_touserdata(L, lua_upvalueindex(1));
    uint32_t count = qp_count(st->view.doc, st->view.kind);
    uint32_t i = st->next;
    if (st->filtered) {
        while (i < count && !qp_each_keeps(&st->view, &st->filter, i)) i++;
    }
    if (i >= count) {
        st->next = count;
        return 0;
    }
    qp_item_range(st->view.doc, st->view.kind, i, &st->cursor->start, &st->cursor->end);
    st->cursor->index = (int32_t)i;
    st->next = i + 1;
    lua_pushvalue(L, lua_upvalueindex(2));
    return 1;
}

/// The code of kind `name` in a names table (index = code + 1), or -1.
static int qp_kind_code(lua_State *L, int names_idx, const char *name) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, names_idx);
    for (lua_Integer k = 1; k <= n; k++) {
        if (lua_rawgeti(L, names_idx, k) == LUA_TSTRING && strcmp(lua_tostring(L, -1), name) == 0) {
            lua_pop(L, 1);
            return (int)(k - 1);
        }
        lua_pop(L, 1);
    }
    return -1;
}

/// Raises an error listing the kind names of a names table.
static int qp_unknown_kind(lua_State *L, int names_idx, const char *name) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    lua_Integer n = (lua_Integer)lua_rawlen(L, names_idx);
    int first = 1;
    for (lua_Integer k = 1; k <= n; k++) {
        if (lua_rawgeti(L, names_idx, k) == LUA_TSTRING) {
            if (!first) luaL_addstring(&b, ", ");
            luaL_addstring(&b, lua_tostring(L, -1));
            first = 0;
        }
        lua_pop(L, 1);
    }
    luaL_pushresult(&b);
    return luaL_error(L, "view:each: unknown kind '%s' (expected one of %s)", name, lua_tostring(L, -1));
}

/// Reads the filter table at index 2 into f. Upvalues of the caller: 2 token kind names, 3 block
/// kind names, 4 token flag bits by name.
static void qp_read_each_filter(lua_State *L, const qp_view *view, qp_each_filter *f) {
    int names = view->kind == QP_SPAN_TOKEN ? lua_upvalueindex(2) : lua_upvalueindex(3);
    f->kinds = 0;
    f->flags_on = f->flags_off = 0;
    f->level = -1;
    lua_pushnil(L);
    while (lua_next(L, 2)) {
        if (lua_type(L, -2) != LUA_TSTRING) luaL_error(L, "view:each: filter keys are field names");
        const char *key = lua_tostring(L, -2);
        if (strcmp(key, "kind") == 0 && (view->kind == QP_SPAN_TOKEN || view->kind == QP_SPAN_BLOCK)) {
            if (lua_type(L, -1) == LUA_TSTRING) {
                int code = qp_kind_code(L, names, lua_tostring(L, -1));
                if (code < 0) qp_unknown_kind(L, names, lua_tostring(L, -1));
                f->kinds |= 1u << code;
            } else if (lua_type(L, -1) == LUA_TTABLE) {
                lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
                for (lua_Integer k = 1; k <= n; k++) {
                    if (lua_rawgeti(L, -1, k) != LUA_TSTRING) luaL_error(L, "view:each: kind takes a name or a list of names");
                    int code = qp_kind_code(L, names, lua_tostring(L, -1));
                    if (code < 0) qp_unknown_kind(L, names, lua_tostring(L, -1));
                    f->kinds |= 1u << code;
                    lua_pop(L, 1);
                }
                if (n == 0) luaL_error(L, "view:each: kind takes a name or a list of names");
            } else {
                luaL_error(L, "view:each: kind takes a name or a list of names, not a %s", luaL_typename(L, -1));
            }
        } else if (strcmp(key, "level") == 0 && view->kind == QP_SPAN_BLOCK) {
            if (!lua_isinteger(L, -1)) luaL_error(L, "view:each: level takes an integer");
            lua_Integer wanted = lua_tointeger(L, -1);
            f->level = wanted >= 0 && wanted <= INT_MAX ? (int)wanted : -2;
        } else if (view->kind == QP_SPAN_TOKEN && lua_rawget(L, (lua_pushvalue(L, -2), lua_upvalueindex(4))) == LUA_TNUMBER) {
            uint8_t bit = (uint8_t)lua_tointeger(L, -1);
            lua_pop(L, 1);
            if (lua_type(L, -1) != LUA_TBOOLEAN) luaL_error(L, "view:each: %s takes true or false", key);
            if (lua_toboolean(L, -1)) f->flags_on |= bit; else f->flags_off |= bit;
        } else {
            if (view->kind == QP_SPAN_TOKEN) lua_pop(L, 1);  // the failed flag lookup
            const char *expected = view->kind == QP_SPAN_TOKEN ? "kind or a token flag (capitalized, all_caps...)"
                                   : view->kind == QP_SPAN_BLOCK ? "kind or level" : "no fields for this view";
            luaL_error(L, "view:each: unknown filter field '%s' (expected %s)", key, expected);
        }
        lua_pop(L, 1);
    }
}

/// view:each(filter?): upvalues 1 the span metatable, 2 token kind names, 3 block kind names, 4 token
/// flag bits by name.
static int qp_view_each(lua_State *L) {
    qp_view *view = (qp_view *)lua_touserdata(L, 1);
    if (view == NULL) return luaL_error(L, "view:each: call it with a colon (doc.tokens:each())");
    int filtered = !lua_isnoneornil(L, 2);
    if (filtered) luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 2);
    qp_each_state *st = (qp_each_state *)lua_newuserdatauv(L, sizeof(qp_each_state), 0);
    st->view = *view;
    st->next = 0;
    st->filtered = filtered;
    if (filtered) qp_read_each_filter(L, view, &st->filter);
    lua_getiuservalue(L, 1, 1);
    st->cursor = qp_new_span(L, lua_gettop(L), view->doc, 0, 0, -1, view->kind, lua_upvalueindex(1), 1);
    lua_remove(L, -2);
    lua_pushcclosure(L, qp_view_each_next, 2);
    return 1;
}

static int qp_view_pairs(lua_State *L) {
    lua_pushvalue(L, lua_upvalueindex(1));  // the iterator closure
    lua_pushvalue(L, 1);
    lua_pushinteger(L, 0);
    return 3;
}

void qp_new_view_metatable(lua_State *L, int span_mt_idx, int methods_idx, int call_idx, int token_kinds_idx,
                           int block_kinds_idx, int flag_names_idx) {
    span_mt_idx = lua_absindex(L, span_mt_idx);
    methods_idx = lua_absindex(L, methods_idx);
    call_idx = lua_absindex(L, call_idx);
    token_kinds_idx = lua_absindex(L, token_kinds_idx);
    block_kinds_idx = lua_absindex(L, block_kinds_idx);
    flag_names_idx = lua_absindex(L, flag_names_idx);
    lua_createtable(L, 0, 8);
    lua_pushcfunction(L, qp_view_len);
    lua_setfield(L, -2, "__len");
    lua_pushvalue(L, span_mt_idx);
    lua_pushvalue(L, methods_idx);
    lua_pushcclosure(L, qp_view_index, 2);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, qp_view_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, qp_view_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushvalue(L, call_idx);
    lua_setfield(L, -2, "__call");
    lua_pushvalue(L, span_mt_idx);
    lua_pushcclosure(L, qp_view_next, 1);
    lua_pushcclosure(L, qp_view_pairs, 1);
    lua_setfield(L, -2, "__pairs");
    // view:each() lives in the methods table, which view[key] consults for non-integer keys.
    lua_pushvalue(L, span_mt_idx);
    lua_pushvalue(L, token_kinds_idx);
    lua_pushvalue(L, block_kinds_idx);
    lua_pushvalue(L, flag_names_idx);
    lua_pushcclosure(L, qp_view_each, 4);
    lua_setfield(L, methods_idx, "each");
    lua_pushliteral(L, "quarry.View");
    lua_setfield(L, -2, "__name");
    lua_pushliteral(L, "quarry.View");
    lua_setfield(L, -2, "__metatable");
}
