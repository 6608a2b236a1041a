/*
 * A fake Juju hook tool for bench/hooks.ts: one exec, no fork, as Juju's own tools are a small
 * compiled client. Its name (argv[0]) is the tool. It answers what the example charm reads,
 * and appends one line per call to $FAKE_TOOLS_LOG: when it began and ended (CLOCK_MONOTONIC,
 * nanoseconds, one clock for every process), the tool and its arguments, separated by 0x1f,
 * so that the floor can replay the same calls in the same order and overlap.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void put(const char *text) {
  size_t n = strlen(text);
  while (n > 0) {
    ssize_t w = write(1, text, n);
    if (w <= 0) return;
    text += w;
    n -= (size_t)w;
  }
}

int main(int argc, char **argv) {
  long long began = now();
  const char *tool = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
  const char *state = getenv("FAKE_TOOLS_STATE");
  const char *last = argc > 1 ? argv[argc - 1] : "";
  if (strcmp(tool, "config-get") == 0) {
    put(strcmp(last, "port") == 0 ? "8080\n" : "{\"port\":8080}\n");
  } else if (strcmp(tool, "relation-ids") == 0) {
    put("[\"database:1\"]\n");
  } else if (strcmp(tool, "relation-list") == 0) {
    put("[\"postgresql/0\"]\n");
  } else if (strcmp(tool, "relation-get") == 0) {
    /* The database's unit data, and the peer application data with the session key the
       leader shared in an earlier hook: a config-changed as most are, not the first. */
    put("{\"endpoint\":\"10.0.0.7:5432\",\"ready\":\"true\",\"session-key\":\"k\"}\n");
  } else if (strcmp(tool, "is-leader") == 0) {
    put("true\n");
  } else if (strcmp(tool, "state-get") == 0 && state != NULL) {
    char buffer[256];
    int fd = open(state, O_RDONLY);
    if (fd >= 0) {
      ssize_t n = read(fd, buffer, sizeof buffer - 1);
      close(fd);
      if (n > 0) {
        buffer[n] = 0;
        put(buffer);
      }
    }
  } else if (strcmp(tool, "state-set") == 0 && state != NULL) {
    int fd = open(state, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    size_t n = strlen(argc > 1 ? argv[1] : "");
    if (fd >= 0) {
      if (n >= 5 && strcmp(argv[1] + n - 5, "=true") == 0) (void)!write(fd, "true\n", 5);
      close(fd);
    }
  }
  const char *log = getenv("FAKE_TOOLS_LOG");
  if (log != NULL) {
    char line[8192];
    int at = snprintf(line, sizeof line, "%lld %lld %s", began, now(), tool);
    for (int i = 1; i < argc && at < (int)sizeof line - 2; i += 1)
      at += snprintf(line + at, sizeof line - (size_t)at, "\x1f%s", argv[i]);
    if (at > (int)sizeof line - 2) at = (int)sizeof line - 2;
    line[at++] = '\n';
    int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) {
      (void)!write(fd, line, (size_t)at);
      close(fd);
    }
  }
  return 0;
}
