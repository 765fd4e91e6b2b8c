// ncursesw with the wide-character API (cchar_t, setcchar, wadd_wch, wget_wch), and the attribute
// macros as functions Swift can call.
#ifndef WSTAP_CNCURSESW_SHIM_H
#define WSTAP_CNCURSESW_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <stdio.h>
#include <termios.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

static inline attr_t wstap_attr_bold(void) { return A_BOLD; }
static inline attr_t wstap_attr_reverse(void) { return A_REVERSE; }
static inline attr_t wstap_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t wstap_attr_dim(void) { return A_DIM; }
static inline WINDOW *wstap_stdscr(void) { return stdscr; }
static inline int wstap_key_f(int n) { return KEY_F(n); }
static inline FILE *wstap_stdout(void) { return stdout; }
static inline FILE *wstap_stdin(void) { return stdin; }
#endif
