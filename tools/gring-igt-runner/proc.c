// SPDX-License-Identifier: MIT
/*
 * Child process supervision.
 *
 * SIGCHLD and the stop signals (SIGINT, SIGTERM, SIGHUP) stay blocked except
 * inside ppoll(), so a child's exit or a Ctrl-C can never slip in between
 * checking for it and going to sleep. Each test runs in a process group of
 * its own: a timeout or a stop kills everything the test forked, and a
 * Ctrl-C on the terminal reaches only the runner, which then cleans up.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"

/* How long to keep reading pipes held open by leftovers after the exit. */
#define DRAIN_SECONDS		1.0
/* How long a SIGKILLed process may take to die before it is given up on. */
#define UNKILLABLE_SECONDS	10.0
#define READ_CHUNK		65536

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

static volatile sig_atomic_t stop_signal;
static sigset_t caller_mask;	/* restored in children */
static sigset_t wait_mask;	/* used while sleeping in ppoll() */

static void on_stop(int sig)
{
	stop_signal = sig;
}

static void on_child(int sig)
{
	(void)sig;	/* only here to interrupt ppoll() */
}

/* Children inherit fds 0-2; make sure they are ours to hand out. */
static void ensure_std_fds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		int null;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		null = open("/dev/null", O_RDWR);
		if (null < 0)
			die("open /dev/null: %s", strerror(errno));
		if (null != fd)
			die("cannot fill standard fd %d", fd);
	}
}

static void install(int sig, void (*handler)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL))
		die("sigaction(%d): %s", sig, strerror(errno));
}

/**
 * proc_init() - set up signal handling; call once before proc_run().
 *
 * A stop signal that was ignored when the runner started (nohup, a
 * background job of a non-interactive shell) stays ignored.
 */
void proc_init(void)
{
	sigset_t block;
	size_t i;

	ensure_std_fds();

	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	for (i = 0; i < ARRAY_SIZE(stop_signals); i++)
		sigaddset(&block, stop_signals[i]);
	if (sigprocmask(SIG_BLOCK, &block, &caller_mask))
		die("sigprocmask: %s", strerror(errno));

	wait_mask = caller_mask;
	sigdelset(&wait_mask, SIGCHLD);
	install(SIGCHLD, on_child, SA_NOCLDSTOP);

	for (i = 0; i < ARRAY_SIZE(stop_signals); i++) {
		struct sigaction old;
		int sig = stop_signals[i];

		if (sigaction(sig, NULL, &old))
			die("sigaction(%d): %s", sig, strerror(errno));
		if (old.sa_handler == SIG_IGN)
			continue;
		sigdelset(&wait_mask, sig);
		install(sig, on_stop, 0);
	}
}

/* Which stop signal arrived, delivered or still pending; 0 if none. */
int proc_stop_signal(void)
{
	sigset_t pending;
	size_t i;

	if (stop_signal)
		return stop_signal;
	if (sigpending(&pending))
		return 0;
	for (i = 0; i < ARRAY_SIZE(stop_signals); i++)
		if (sigismember(&pending, stop_signals[i]) &&
		    !sigismember(&wait_mask, stop_signals[i]))
			return stop_signals[i];
	return 0;
}

bool proc_stop_requested(void)
{
	return proc_stop_signal() != 0;
}

/*
 * Give up root for @u: supplementary groups first, then the group, then
 * the user, since each step needs the privilege the next one drops.
 */
static int drop_privileges(const struct proc_user *u)
{
	if (setgroups(u->ngroups, u->groups) || setgid(u->gid) ||
	    setuid(u->uid))
		return -errno;
	/* A root that could be regained would make the test prove nothing. */
	if (u->uid && !setuid(0))
		return -EPERM;
	return 0;
}

static __noreturn void child_exec(char *const argv[], int out_fd, int err_fd,
				  const struct proc_user *user)
{
	int null, ret;

	/* Also done by the parent: whichever runs first wins the race. */
	setpgid(0, 0);
	sigprocmask(SIG_SETMASK, &caller_mask, NULL);

	null = open("/dev/null", O_RDONLY);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 ||
	    dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0) {
		dprintf(err_fd, PROG_NAME ": cannot set up fds: %s\n",
			strerror(errno));
		_exit(127);
	}
	if (user) {
		ret = drop_privileges(user);
		if (ret) {
			dprintf(STDERR_FILENO,
				PROG_NAME ": cannot become user %s: %s\n",
				user->name, strerror(-ret));
			_exit(127);
		}
	}
	execv(argv[0], argv);
	dprintf(STDERR_FILENO, PROG_NAME ": cannot execute %s: %s\n",
		argv[0], strerror(errno));
	_exit(127);
}

struct supervisor {
	pid_t pid;
	int fds[2];		/* read ends of stdout, stderr; -1 at EOF */
	struct buf *bufs[2];
	double start;
	double deadline;	/* SIGTERM at */
	double grace;
	double kill_at;		/* SIGKILL at, once SIGTERM went out */
	double give_up_at;	/* abandon at, once SIGKILL went out */
	double drain_until;	/* stop reading at, once the child exited */
	bool exited;
	bool term_sent;
	bool kill_sent;
};

static void kill_group(pid_t pgid, int sig)
{
	/* ESRCH: the whole group is already gone, which is what we want. */
	if (kill(-pgid, sig) && errno != ESRCH)
		errmsg("kill(-%d, %d): %s", (int)pgid, sig, strerror(errno));
}

/*
 * Reap every exited child: ours, and orphans handed to us should the
 * runner be a subreaper or init. Returns once nothing more is waiting.
 */
static void reap(struct supervisor *s, struct proc_result *res)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid < 0 && errno == EINTR)
			continue;
		if (pid <= 0)
			return;
		if (pid != s->pid)
			continue;

		s->exited = true;
		res->status = status;
		res->duration = now_mono() - s->start;
		/* Helpers the test left behind would disturb the next one. */
		kill_group(s->pid, SIGKILL);
		s->drain_until = now_mono() + DRAIN_SECONDS;
	}
}

/*
 * Send whatever signal is due and return when to wake up next, or a
 * negative value to sleep until something happens.
 */
static double escalate(struct supervisor *s, struct proc_result *res,
		       double now)
{
	if (stop_signal && !res->interrupted) {
		res->interrupted = true;
		kill_group(s->pid, SIGKILL);
		s->kill_sent = true;
		s->give_up_at = now + UNKILLABLE_SECONDS;
	}
	if (!s->term_sent && !s->kill_sent && now >= s->deadline) {
		res->timed_out = true;
		kill_group(s->pid, SIGTERM);
		s->term_sent = true;
		s->kill_at = now + s->grace;
	}
	if (s->term_sent && !s->kill_sent && now >= s->kill_at) {
		kill_group(s->pid, SIGKILL);
		s->kill_sent = true;
		s->give_up_at = now + UNKILLABLE_SECONDS;
	}
	if (s->kill_sent)
		return s->give_up_at;
	return s->term_sent ? s->kill_at : s->deadline;
}

/* Read what a pipe holds now; closes it at EOF. */
static int drain_fd(int *fd, struct buf *b)
{
	for (;;) {
		ssize_t n;

		buf_reserve(b, READ_CHUNK);
		n = read(*fd, b->data + b->len, READ_CHUNK);
		if (n > 0) {
			b->len += (size_t)n;
			b->data[b->len] = '\0';
			continue;
		}
		if (n == 0) {
			close(*fd);
			*fd = -1;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN)
			return 0;
		return -errno;
	}
}

static struct timespec *until(double wake, double now, struct timespec *ts)
{
	double left = wake - now;

	if (left < 0)
		left = 0;
	left += 0.001;	/* never wake a hair early and spin */
	ts->tv_sec = (time_t)left;
	ts->tv_nsec = (long)((left - (double)ts->tv_sec) * 1e9);
	if (ts->tv_nsec >= 1000000000L)
		ts->tv_nsec = 999999999L;
	return ts;
}

static bool finished(struct supervisor *s, struct proc_result *res,
		     double now)
{
	if (s->exited)
		return (s->fds[0] < 0 && s->fds[1] < 0) || now >= s->drain_until;
	if (s->kill_sent && now >= s->give_up_at) {
		res->abandoned = true;
		res->duration = now - s->start;
		return true;
	}
	return false;
}

static int wait_once(struct supervisor *s, double wake, double now)
{
	struct pollfd pfds[2];
	struct timespec ts;
	nfds_t n = 0;
	int i, ret;

	for (i = 0; i < 2; i++) {
		if (s->fds[i] < 0)
			continue;
		pfds[n].fd = s->fds[i];
		pfds[n].events = POLLIN;
		pfds[n].revents = 0;
		n++;
	}

	ret = ppoll(pfds, n, wake < 0 ? NULL : until(wake, now, &ts),
		    &wait_mask);
	if (ret < 0)
		return errno == EINTR ? 0 : -errno;

	for (i = 0; i < (int)n; i++) {
		int k = pfds[i].fd == s->fds[0] ? 0 : 1;

		if (!pfds[i].revents)
			continue;
		ret = drain_fd(&s->fds[k], s->bufs[k]);
		if (ret)
			return ret;
	}
	return 0;
}

static int supervise(struct supervisor *s, struct proc_result *res)
{
	for (;;) {
		double now, wake;
		int ret;

		reap(s, res);
		now = now_mono();
		if (finished(s, res, now))
			return 0;

		wake = s->exited ? s->drain_until : escalate(s, res, now);
		ret = wait_once(s, wake, now);
		if (ret) {
			kill_group(s->pid, SIGKILL);
			return ret;
		}
	}
}

static int set_nonblock(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

/**
 * proc_run() - run @argv[0] with @argv to completion or to its deadline.
 * @argv: the command; argv[0] is a path, not looked up in PATH.
 * @timeout: seconds before SIGTERM goes to the process group.
 * @grace: seconds between SIGTERM and SIGKILL.
 * @user: whom to run it as (the child drops privileges before exec), or
 *	NULL for the runner's own user.
 * @res: filled in; free with proc_result_free().
 *
 * Return: 0, or a negative errno for a failure of the runner itself (the
 * child failing to execute is a result: exit status 127 and a message).
 */
int proc_run(char *const argv[], double timeout, double grace,
	     const struct proc_user *user, struct proc_result *res)
{
	struct supervisor s;
	int out[2], err[2];
	int ret;

	memset(res, 0, sizeof(*res));
	memset(&s, 0, sizeof(s));

	if (pipe2(out, O_CLOEXEC))
		return -errno;
	if (pipe2(err, O_CLOEXEC)) {
		ret = -errno;
		goto close_out;
	}

	s.start = now_mono();
	s.pid = fork();
	if (s.pid < 0) {
		ret = -errno;
		goto close_err;
	}
	if (s.pid == 0)
		child_exec(argv, out[1], err[1], user);

	/* EACCES: the child already exec'd, after its own setpgid(). */
	if (setpgid(s.pid, s.pid) && errno != EACCES && errno != ESRCH)
		errmsg("setpgid(%d): %s", (int)s.pid, strerror(errno));

	close(out[1]);
	close(err[1]);

	s.fds[0] = out[0];
	s.fds[1] = err[0];
	s.bufs[0] = &res->out;
	s.bufs[1] = &res->err;
	s.deadline = s.start + timeout;
	s.grace = grace;

	ret = set_nonblock(out[0]);
	if (!ret)
		ret = set_nonblock(err[0]);
	if (!ret)
		ret = supervise(&s, res);
	else
		kill_group(s.pid, SIGKILL);

	/* Make both bufs valid strings even when nothing was read. */
	buf_reserve(&res->out, 0);
	buf_reserve(&res->err, 0);

	if (s.fds[0] >= 0)
		close(s.fds[0]);
	if (s.fds[1] >= 0)
		close(s.fds[1]);
	return ret;

close_err:
	close(err[0]);
	close(err[1]);
close_out:
	close(out[0]);
	close(out[1]);
	return ret;
}

static void describe_status(int status, struct buf *b)
{
	if (WIFSIGNALED(status))
		buf_printf(b, "was killed by signal %d (%s)", WTERMSIG(status),
			   strsignal(WTERMSIG(status)));
	else if (WIFEXITED(status))
		buf_printf(b, "exited with status %d", WEXITSTATUS(status));
	else
		buf_printf(b, "ended with wait status 0x%x", (unsigned int)status);
}

/**
 * proc_describe() - say in words how a process ended.
 * @res: the result of proc_run().
 * @b: where the sentence (without subject or newline) is appended.
 */
void proc_describe(const struct proc_result *res, struct buf *b)
{
	if (res->abandoned) {
		buf_printf(b, "did not die %.0fs after SIGKILL (stuck in the kernel?)",
			   UNKILLABLE_SECONDS);
		return;
	}
	if (res->interrupted)
		buf_puts(b, "was stopped because the runner was interrupted: it ");
	else if (res->timed_out)
		buf_puts(b, "ran out of time: it ");
	describe_status(res->status, b);
	if (res->interrupted || res->timed_out)
		buf_printf(b, " after %.3fs", res->duration);
}

void proc_result_free(struct proc_result *res)
{
	buf_free(&res->out);
	buf_free(&res->err);
}

/**
 * proc_user_lookup() - find @name in the user and group databases.
 * @u: filled in; free with proc_user_free().
 * @name: a user name.
 *
 * Looked up once, before any test runs: a child must not need NSS between
 * fork and exec.
 *
 * Return: 0, or a negative errno after printing what failed.
 */
int proc_user_lookup(struct proc_user *u, const char *name)
{
	struct passwd *pw;
	int n = 0;

	memset(u, 0, sizeof(*u));
	errno = 0;
	pw = getpwnam(name);
	if (!pw) {
		errmsg("--user %s: %s", name,
		       errno ? strerror(errno) : "no such user");
		return errno ? -errno : -ENOENT;
	}
	u->name = name;
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	/* First call sizes the list; getgrouplist() returns -1 then. */
	getgrouplist(name, u->gid, NULL, &n);
	u->groups = xreallocarray(NULL, n ? n : 1, sizeof(*u->groups));
	u->ngroups = n;
	if (getgrouplist(name, u->gid, u->groups, &u->ngroups) < 0) {
		errmsg("--user %s: cannot list its groups", name);
		proc_user_free(u);
		return -EINVAL;
	}
	return 0;
}

/* Undo proc_user_lookup(). */
void proc_user_free(struct proc_user *u)
{
	free(u->groups);
	memset(u, 0, sizeof(*u));
}
