#ifndef ANNO_CREADLINE_SHIM_H
#define ANNO_CREADLINE_SHIM_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <poll.h>
#include <pthread.h>
#include <errno.h>
#include <readline/readline.h>
#include <readline/history.h>

// NB: Swift 6 refuses to touch C global variables (shared mutable state), so readline's
// globals are set through these small functions.

typedef char **(*anno_completion_fn)(const char *text, int start, int end);
typedef void (*anno_display_fn)(char **matches, int count, int max_length);

static inline void anno_rl_configure(
    const char *name, anno_completion_fn completion, anno_display_fn display) {
  rl_readline_name = strdup(name);
  rl_attempted_completion_function = completion;
  rl_completion_display_matches_hook = display;
  // Candidates come in the order Anno gives them (#2 before #10).
  rl_sort_completion_matches = 0;
  rl_completer_quote_characters = "\"";
  rl_completer_word_break_characters = " \t\n\"";
  rl_catch_signals = 0;
  // A resize is handled by anno_readline (readline's own handler is only installed while it
  // reads a character in callback mode), and LINES/COLUMNS are left alone so a pager started
  // later measures the terminal as it is then.
  rl_catch_sigwinch = 0;
  rl_change_environment = 0;
}

/// Stops readline from falling back to file-name completion when Anno offers nothing.
static inline void anno_rl_completion_done(int suppress_append) {
  rl_attempted_completion_over = 1;
  rl_completion_suppress_append = suppress_append;
}

/// readline's own list of candidates, for those Anno has nothing to add to.
static inline void anno_rl_display_match_list(char **matches, int count, int max_length) {
  rl_display_match_list(matches, count, max_length);
  rl_forced_update_display();
}

/// Redraws the prompt and the line after Anno printed its own list.
static inline void anno_rl_redraw(void) { rl_forced_update_display(); }

static inline const char *anno_rl_line_buffer(void) { return rl_line_buffer ? rl_line_buffer : ""; }
static inline int anno_rl_point(void) { return rl_point; }

/// Installs `handler` for `signal_number` without SA_RESTART (so poll wakes up), and unblocks
/// the signal: a parent may have started us with it blocked (the mask survives exec).
static inline void anno_handle_signal(int signal_number, void (*handler)(int)) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  sigaction(signal_number, &action, NULL);
  sigset_t unblocked;
  sigemptyset(&unblocked);
  sigaddset(&unblocked, signal_number);
  pthread_sigmask(SIG_UNBLOCK, &unblocked, NULL);
}

/// Installs `handler` for SIGINT.
static inline void anno_set_sigint(void (*handler)(int)) { anno_handle_signal(SIGINT, handler); }

static inline void anno_ignore_sigint(void) { anno_set_sigint(SIG_IGN); }

// Reading a line: readline's callback interface under our own poll loop, so that Ctrl-C
// is handled outside the signal handler (calling readline from a handler can deadlock on
// stdio's locks): the handler only raises a flag, which the loop and anno_getc check at
// least every 100 ms, whichever thread the signal was delivered to. anno_getc never blocks
// in read(): a Ctrl-C can flush typed input between poll() saying "readable" and the read.
static volatile sig_atomic_t anno_interrupted = 0;
static volatile sig_atomic_t anno_resized = 0;
static char *anno_pending_line = NULL;
static int anno_line_done = 0;
static int anno_line_cancelled = 0;

static inline void anno_on_sigint(int signal_number) {
  (void)signal_number;
  anno_interrupted = 1;
}

static inline void anno_on_sigwinch(int signal_number) {
  (void)signal_number;
  anno_resized = 1;
}

static inline void anno_line_handler(char *line) {
  anno_pending_line = line;
  anno_line_done = 1;
  rl_callback_handler_remove();
}

/// readline's character source: waits with poll, gives up the line on Ctrl-C.
static inline int anno_getc(FILE *stream) {
  int fd = fileno(stream);
  for (;;) {
    if (anno_interrupted) {
      // Accept the line so readline returns, and mark it cancelled.
      anno_line_cancelled = 1;
      return '\n';
    }
    struct pollfd ready = {.fd = fd, .events = POLLIN};
    int count = poll(&ready, 1, 100);
    if (count < 0) {
      if (errno == EINTR) continue;
      return EOF;
    }
    if (count == 0) continue;
    unsigned char c;
    ssize_t got = read(fd, &c, 1);
    if (got == 1) return c;
    if (got == 0) return EOF;
    if (errno == EINTR || errno == EAGAIN) continue;
    return EOF;
  }
}

/// Reads one line with editing; returns a malloc'd line, or NULL at end of input (Ctrl-D).
static inline char *anno_readline(const char *prompt) {
  anno_set_sigint(anno_on_sigint);
  rl_getc_function = anno_getc;
  int input = fileno(rl_instream ? rl_instream : stdin);
  anno_handle_signal(SIGWINCH, anno_on_sigwinch);
  // The terminal may have been resized while a command ran.
  anno_resized = 0;
  if (rl_instream != NULL && rl_outstream != NULL) rl_reset_screen_size();
  for (;;) {
    anno_line_done = 0;
    anno_line_cancelled = 0;
    anno_pending_line = NULL;
    anno_interrupted = 0;
    rl_callback_handler_install(prompt, anno_line_handler);
    while (!anno_line_done) {
      if (anno_resized) {
        anno_resized = 0;
        rl_resize_terminal();
      }
      if (anno_interrupted) {
        anno_interrupted = 0;
        rl_free_line_state();
        rl_callback_sigcleanup();
        rl_crlf();
        rl_replace_line("", 0);
        rl_on_new_line();
        rl_redisplay();
        continue;
      }
      struct pollfd ready = {.fd = input, .events = POLLIN};
      int count = poll(&ready, 1, 100);
      if (count < 0) {
        if (errno == EINTR) continue;
        rl_callback_handler_remove();
        break;
      }
      if (count > 0) rl_callback_read_char();
    }
    if (anno_line_cancelled && anno_pending_line != NULL) {
      // Ctrl-C while readline was reading: drop the line and prompt again.
      free(anno_pending_line);
      continue;
    }
    break;
  }
  anno_set_sigint(SIG_IGN);
  return anno_pending_line;
}
#endif
