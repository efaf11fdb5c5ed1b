// Umbrella header for Debian's liblua5.4 (C build, longjmp errors).
// Include paths come from pkg-config `lua5.4`; nothing is hard-coded here.
#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>
