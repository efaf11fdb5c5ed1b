// Umbrella header for libedit's readline-compatible API (BSD licence), through pkg-config `libedit`.
#include <stdio.h>
#include <editline/readline.h>
