// PluginShim: the hot paths of the Lua API over documents, in C: spans (tokens, sentences,
// blocks, quotes...) as small userdata read straight from the document's columns, and lazy views
// (`doc.tokens`) that make a span only when Lua asks for one. Works with PluginHost (Swift).
#ifndef QUARRY_PLUGINSHIM_H
#define QUARRY_PLUGINSHIM_H

#include <lua.h>
#include <lauxlib.h>
#include <stdint.h>
#include <stddef.h>

/// The columns of one document, owned by Swift and stable while the document lives.
typedef struct qp_doc {
    const char *text;
    size_t text_len;
    uint32_t ntokens;
    const uint32_t *tok_start, *tok_end;
    const uint8_t *tok_kind, *tok_flags;
    uint32_t nsentences;
    const uint32_t *sen_start, *sen_end;
    uint32_t nblocks;
    const uint32_t *blk_start, *blk_end;
    const uint8_t *blk_kind, *blk_level;
    uint32_t nquotes;
    const uint32_t *quo_start, *quo_end;
} qp_doc;

/// What a span is; views exist for the first four.
enum {
    QP_SPAN_TOKEN = 0,
    QP_SPAN_SENTENCE = 1,
    QP_SPAN_BLOCK = 2,
    QP_SPAN_QUOTE = 3,
    QP_SPAN_PLAIN = 4,
    QP_SPAN_MATCH = 5,
    QP_SPAN_ANNOTATION = 6
};

/// A span: a byte range of a document's text, maybe an item of one of its tables.
typedef struct qp_span {
    const qp_doc *doc;
    uint32_t start, end;  // UTF-8 bytes, half-open
    int32_t index;        // 0-based index in its table, -1 for none
    uint8_t kind;         // QP_SPAN_*
} qp_span;

/// A lazy view of one of a document's tables.
typedef struct qp_view {
    const qp_doc *doc;
    uint8_t kind;  // QP_SPAN_TOKEN ... QP_SPAN_QUOTE
} qp_view;

/// Creates the span metatable. Upvalues it captures: the methods table (at methods_idx), the
/// Swift fallback for other keys (at fallback_idx), token kind names, block kind names and token
/// flag names (tables at the given indexes). Leaves the metatable on the stack. [-0, +1, m]
void qp_new_span_metatable(lua_State *L, int methods_idx, int fallback_idx, int token_kinds_idx,
                           int block_kinds_idx, int flag_names_idx);
/// Creates the view metatable: `__len`, `__index` (integers make spans with the span metatable at
/// span_mt_idx; other keys look in methods_idx) and `__call` (the Swift function at call_idx); puts
/// `each` in methods_idx, whose filters use the token kind names, block kind names and token flag
/// bits at the last three indexes. [-0, +1, m]
void qp_new_view_metatable(lua_State *L, int span_mt_idx, int methods_idx, int call_idx, int token_kinds_idx,
                           int block_kinds_idx, int flag_names_idx);

/// Pushes a span of the document whose userdata is at doc_idx. [-0, +1, m]
qp_span *qp_push_span(lua_State *L, int doc_idx, const qp_doc *doc, uint32_t start, uint32_t end, int32_t index,
                      uint8_t kind, int span_mt_idx);
/// Pushes a view of the document whose userdata is at doc_idx. [-0, +1, m]
void qp_push_view(lua_State *L, int doc_idx, const qp_doc *doc, uint8_t kind, int view_mt_idx);
/// The span at idx if its metatable is the one at span_mt_idx, else NULL. [-0, +0, -]
qp_span *qp_to_span(lua_State *L, int idx, int span_mt_idx);
/// The view at idx if its metatable is the one at view_mt_idx, else NULL. [-0, +0, -]
qp_view *qp_to_view(lua_State *L, int idx, int view_mt_idx);
/// Pops a table and makes it the extra fields of the span at span_idx (a match's `key`,
/// `data`, `groups`...), which its `__index` consults after the methods. [-1, +0, -]
void qp_set_span_extras(lua_State *L, int span_idx);
/// Pushes the document userdata a span or view keeps alive (its first user value). [-0, +1, -]
void qp_push_owner(lua_State *L, int idx);

/// qp_append_json_records(list, bytes, length, n) -> n: appends the items of a JSON array (bytes as a
/// light userdata) to list from n + 1 and returns the new count; raises on anything unusual, so call it
/// protected. (A lua_CFunction.)
int qp_append_json_records(lua_State *L);

#endif
