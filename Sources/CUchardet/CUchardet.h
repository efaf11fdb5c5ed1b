// Umbrella header for Debian's libuchardet: guesses the character encoding of text that is not UTF-8.
#include <uchardet/uchardet.h>
