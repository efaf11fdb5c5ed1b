// Umbrella header for Debian's libxml2 (pkg-config libxml-2.0): the tolerant HTML parser and the XML reader.
// Debian builds libxml2 with ICU; its headers would pull in ICU's, which clash with Foundation's own copy.
// Quarry never touches the ICU fields of libxml2's encoding handler, so the ICU part is left out here.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
