/*
 * libevent-echo.c: the reference echo server of loomevent's load-test harness.
 *
 * Written the way a libevent 2.1 user writes an echo server: an evconnlistener hands each
 * connection to a socket bufferevent whose read callback moves the whole input buffer to the
 * output buffer, and whose event callback frees it on EOF or error. One event loop, one thread.
 *
 * Usage: libevent-echo [IPv4 address] [port]   (defaults 127.0.0.1 and 0: any free port)
 * Prints "LISTENING <port> <pid>" once listening. Exits on SIGINT, SIGTERM, a "quit" line on
 * standard input, or the end of standard input (so it never outlives the harness that started it).
 *
 * Build: gcc -O2 -o libevent-echo libevent-echo.c -levent   (Debian: apt-get install libevent-dev)
 */
#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static void echo_read(struct bufferevent *bev, void *arg)
{
    (void) arg;
    /* moves the chains, copies nothing: what libevent's own samples do */
    evbuffer_add_buffer(bufferevent_get_output(bev), bufferevent_get_input(bev));
}

static void echo_event(struct bufferevent *bev, short what, void *arg)
{
    (void) arg;
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
        bufferevent_free(bev);
}

static void accepted(struct evconnlistener *listener, evutil_socket_t fd, struct sockaddr *peer,
                     int peer_len, void *arg)
{
    struct event_base *base = arg;
    struct bufferevent *bev;
    int one = 1;
    (void) listener;
    (void) peer;
    (void) peer_len;
    /* every server the harness compares sends small echoes at once */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
    if (bev == NULL) {
        evutil_closesocket(fd);
        return;
    }
    bufferevent_setcb(bev, echo_read, NULL, echo_event, NULL);
    bufferevent_enable(bev, EV_READ);
}

static void control_input(evutil_socket_t fd, short what, void *arg)
{
    char line[256];
    ssize_t n = read(fd, line, sizeof line - 1);
    (void) what;
    if (n > 0) {
        line[n] = '\0';
        if (strstr(line, "quit") == NULL)
            return;
    }
    event_base_loopexit(arg, NULL);
}

static void stop_signal(evutil_socket_t sig, short what, void *arg)
{
    (void) sig;
    (void) what;
    event_base_loopexit(arg, NULL);
}

int main(int argc, char **argv)
{
    const char *host = argc > 1 ? argv[1] : "127.0.0.1";
    int port = argc > 2 ? atoi(argv[2]) : 0;
    struct sockaddr_in addr, bound;
    socklen_t bound_len = sizeof bound;
    struct event_base *base;
    struct evconnlistener *listener;
    struct event *control, *term, *intr;
    struct stat in;

    signal(SIGPIPE, SIG_IGN);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short) port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "libevent-echo: not an IPv4 address: %s\n", host);
        return 2;
    }
    base = event_base_new();
    if (base == NULL) {
        fprintf(stderr, "libevent-echo: event_base_new failed\n");
        return 1;
    }
    listener = evconnlistener_new_bind(base, accepted, base, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 1024,
                                       (struct sockaddr *) &addr, sizeof addr);
    if (listener == NULL) {
        perror("libevent-echo: cannot listen");
        return 1;
    }
    getsockname(evconnlistener_get_fd(listener), (struct sockaddr *) &bound, &bound_len);
    printf("LISTENING %d %ld\n", ntohs(bound.sin_port), (long) getpid());
    fflush(stdout);

    /* epoll refuses regular files: watch standard input only when it is a pipe, socket or terminal */
    control = NULL;
    if (fstat(STDIN_FILENO, &in) == 0 && (S_ISFIFO(in.st_mode) || S_ISSOCK(in.st_mode) || (S_ISCHR(in.st_mode) && isatty(STDIN_FILENO))))
        control = event_new(base, STDIN_FILENO, EV_READ | EV_PERSIST, control_input, base);
    if (control != NULL && event_add(control, NULL) != 0) {
        event_free(control);
        control = NULL;
    }
    term = evsignal_new(base, SIGTERM, stop_signal, base);
    intr = evsignal_new(base, SIGINT, stop_signal, base);
    event_add(term, NULL);
    event_add(intr, NULL);

    event_base_dispatch(base);

    if (control != NULL)
        event_free(control);
    event_free(term);
    event_free(intr);
    evconnlistener_free(listener);
    event_base_free(base);
    return 0;
}
