// Records for finish: a JSON array (the records one document emitted, as the runner wrote them)
// parsed straight onto the Lua stack, without building Swift values first. The same reading as
// JSONParser + JSONBridge.push: integers that fit stay integers, null is nil, later duplicate keys
// win. Anything unusual (bytes that are not UTF-8, deep nesting, a syntax error) raises an error,
// and the host reads that chunk the general way.
#include "PluginShim.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    lua_State *L;
    const unsigned char *p, *start, *end;
    int depth;
} qp_jr;

static void jr_fail(qp_jr *j, const char *what) {
    luaL_error(j->L, "records: %s at byte %d", what, (int)(j->p - j->start));
}

static void jr_space(qp_jr *j) {
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')) j->p++;
}

/// Length of the valid UTF-8 sequence at p (0 when invalid), strictly: no overlongs or surrogates.
static int jr_utf8_length(const unsigned char *p, const unsigned char *end) {
    unsigned char c = p[0];
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return (end - p >= 2 && (p[1] & 0xC0) == 0x80) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && p[1] < 0xA0) return 0;
        if (c == 0xED && p[1] > 0x9F) return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) return 0;
        if (c == 0xF0 && p[1] < 0x90) return 0;
        if (c == 0xF4 && p[1] > 0x8F) return 0;
        return 4;
    }
    return 0;
}

static unsigned jr_hex4(qp_jr *j) {
    if (j->end - j->p < 4) jr_fail(j, "invalid \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = *j->p++;
        v <<= 4;
        if (c >= '0' && c <= '9') v |= c - '0';
        else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
        else jr_fail(j, "invalid \\u escape");
    }
    return v;
}

static void jr_add_scalar(luaL_Buffer *b, unsigned code) {
    if (code > 0x10FFFF || (code >= 0xD800 && code < 0xE000)) code = 0xFFFD;
    char u[4];
    int n;
    if (code < 0x80) { u[0] = (char)code; n = 1; }
    else if (code < 0x800) { u[0] = (char)(0xC0 | (code >> 6)); u[1] = (char)(0x80 | (code & 0x3F)); n = 2; }
    else if (code < 0x10000) {
        u[0] = (char)(0xE0 | (code >> 12)); u[1] = (char)(0x80 | ((code >> 6) & 0x3F)); u[2] = (char)(0x80 | (code & 0x3F)); n = 3;
    } else {
        u[0] = (char)(0xF0 | (code >> 18)); u[1] = (char)(0x80 | ((code >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((code >> 6) & 0x3F)); u[3] = (char)(0x80 | (code & 0x3F)); n = 4;
    }
    luaL_addlstring(b, u, n);
}

/// A string at j->p (its opening quote), pushed.
static void jr_string(qp_jr *j) {
    const unsigned char *s = ++j->p;
    while (j->p < j->end) {  // the usual case: no escapes, pushed from the bytes
        unsigned char c = *j->p;
        if (c == '"') {
            lua_pushlstring(j->L, (const char *)s, (size_t)(j->p - s));
            j->p++;
            return;
        }
        if (c == '\\') break;
        if (c < 0x20) jr_fail(j, "control character in a string");
        if (c < 0x80) { j->p++; continue; }
        int n = jr_utf8_length(j->p, j->end);
        if (n == 0) jr_fail(j, "bytes that are not UTF-8");
        j->p += n;
    }
    luaL_Buffer b;
    luaL_buffinit(j->L, &b);
    luaL_addlstring(&b, (const char *)s, (size_t)(j->p - s));
    while (j->p < j->end) {
        unsigned char c = *j->p;
        if (c == '"') {
            j->p++;
            luaL_pushresult(&b);
            return;
        }
        if (c < 0x20) jr_fail(j, "control character in a string");
        if (c != '\\') {
            int n = c < 0x80 ? 1 : jr_utf8_length(j->p, j->end);
            if (n == 0) jr_fail(j, "bytes that are not UTF-8");
            luaL_addlstring(&b, (const char *)j->p, (size_t)n);
            j->p += n;
            continue;
        }
        j->p++;
        if (j->p >= j->end) break;
        unsigned char e = *j->p++;
        switch (e) {
        case '"': luaL_addchar(&b, '"'); break;
        case '\\': luaL_addchar(&b, '\\'); break;
        case '/': luaL_addchar(&b, '/'); break;
        case 'b': luaL_addchar(&b, '\b'); break;
        case 'f': luaL_addchar(&b, '\f'); break;
        case 'n': luaL_addchar(&b, '\n'); break;
        case 'r': luaL_addchar(&b, '\r'); break;
        case 't': luaL_addchar(&b, '\t'); break;
        case 'u': {
            unsigned code = jr_hex4(j);
            if (code >= 0xD800 && code < 0xDC00 && j->end - j->p >= 2 && j->p[0] == '\\' && j->p[1] == 'u') {
                j->p += 2;
                unsigned low = jr_hex4(j);
                if (low >= 0xDC00 && low < 0xE000) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                } else {
                    jr_add_scalar(&b, 0xFFFD);
                    code = low;
                }
            }
            jr_add_scalar(&b, code);
            break;
        }
        default: jr_fail(j, "invalid escape");
        }
    }
    jr_fail(j, "unterminated string");
}

static void jr_number(qp_jr *j) {
    const unsigned char *s = j->p;
    int is_float = 0;
    if (*j->p == '-') j->p++;
    while (j->p < j->end) {
        unsigned char c = *j->p;
        if (c >= '0' && c <= '9') { j->p++; continue; }
        if (c == '.' || c == 'e' || c == 'E' || c == '+' || (c == '-' && j->p > s)) { is_float = 1; j->p++; continue; }
        break;
    }
    size_t len = (size_t)(j->p - s);
    if (!is_float) {
        int negative = *s == '-';
        const unsigned char *d = s + negative;
        if (d < j->p) {
            unsigned long long v = 0, limit = negative ? 9223372036854775808ULL : 9223372036854775807ULL;
            int fits = 1;
            for (; d < j->p; d++) {
                unsigned digit = (unsigned)(*d - '0');
                if (v > (limit - digit) / 10) { fits = 0; break; }
                v = v * 10 + digit;
            }
            if (fits) {
                lua_pushinteger(j->L, negative ? (lua_Integer)(0 - v) : (lua_Integer)v);
                return;
            }
        }
    }
    char buffer[64];
    if (len == 0 || len >= sizeof buffer) jr_fail(j, "invalid number");
    memcpy(buffer, s, len);
    buffer[len] = 0;
    char *stop = NULL;
    double v = strtod(buffer, &stop);
    if (stop != buffer + len) jr_fail(j, "invalid number");
    lua_pushnumber(j->L, v);
}

static int jr_literal(qp_jr *j, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0) return 0;
    j->p += n;
    return 1;
}

static void jr_value(qp_jr *j) {
    jr_space(j);
    if (j->p >= j->end) jr_fail(j, "unexpected end");
    if (!lua_checkstack(j->L, 4)) jr_fail(j, "too deep");
    unsigned char c = *j->p;
    if (c == '"') {
        jr_string(j);
    } else if (c == '{' || c == '[') {
        if (++j->depth > 200) jr_fail(j, "nested too deep");
        j->p++;
        lua_newtable(j->L);
        jr_space(j);
        if (c == '[') {
            lua_Integer n = 0;
            if (j->p < j->end && *j->p == ']') {
                j->p++;
            } else {
                for (;;) {
                    jr_value(j);
                    lua_rawseti(j->L, -2, ++n);
                    jr_space(j);
                    if (j->p < j->end && *j->p == ',') { j->p++; continue; }
                    if (j->p < j->end && *j->p == ']') { j->p++; break; }
                    jr_fail(j, "expected , or ]");
                }
            }
        } else {
            if (j->p < j->end && *j->p == '}') {
                j->p++;
            } else {
                for (;;) {
                    jr_space(j);
                    if (j->p >= j->end || *j->p != '"') jr_fail(j, "expected a key");
                    jr_string(j);
                    jr_space(j);
                    if (j->p >= j->end || *j->p != ':') jr_fail(j, "expected :");
                    j->p++;
                    jr_value(j);
                    lua_rawset(j->L, -3);
                    jr_space(j);
                    if (j->p < j->end && *j->p == ',') { j->p++; continue; }
                    if (j->p < j->end && *j->p == '}') { j->p++; break; }
                    jr_fail(j, "expected , or }");
                }
            }
        }
        j->depth--;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        jr_number(j);
    } else if (jr_literal(j, "true")) {
        lua_pushboolean(j->L, 1);
    } else if (jr_literal(j, "false")) {
        lua_pushboolean(j->L, 0);
    } else if (jr_literal(j, "null")) {
        lua_pushnil(j->L);
    } else {
        jr_fail(j, "unexpected character");
    }
}

/// qp_append_json_records(list, bytes, length, n) -> n: the items of the JSON array in bytes appended
/// to list from n + 1; returns the new count. Call it protected (it raises on anything unusual).
int qp_append_json_records(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    qp_jr j;
    j.L = L;
    j.start = j.p = (const unsigned char *)lua_touserdata(L, 2);
    j.end = j.p + luaL_checkinteger(L, 3);
    j.depth = 0;
    lua_Integer n = luaL_checkinteger(L, 4);
    lua_settop(L, 1);
    jr_space(&j);
    if (j.p >= j.end || *j.p != '[') jr_fail(&j, "expected a JSON array");
    j.p++;
    jr_space(&j);
    if (j.p < j.end && *j.p == ']') {
        j.p++;
    } else {
        for (;;) {
            jr_value(&j);
            lua_rawseti(L, 1, ++n);
            jr_space(&j);
            if (j.p < j.end && *j.p == ',') { j.p++; continue; }
            if (j.p < j.end && *j.p == ']') { j.p++; break; }
            jr_fail(&j, "expected , or ]");
        }
    }
    jr_space(&j);
    if (j.p != j.end) jr_fail(&j, "text after the array");
    lua_pushinteger(L, n);
    return 1;
}
