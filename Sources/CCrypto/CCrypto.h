// Umbrella header for OpenSSL's libcrypto (Debian's libssl-dev): only the SHA-256 digest is used, for
// documents' content hashes; libcrypto uses the CPU's SHA instructions where there are some.
#include <openssl/evp.h>
