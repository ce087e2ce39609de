"""Run a command in a child process with limits, and say how it ended.

The candidate's code never runs in the interviewer's process. This module
starts a child process on a private copy of the solution folder and watches
it from the outside:

- wall clock: the parent kills the child's whole process group (and, when it
  runs under its own user id, every process of that id) when time is up;
- CPU time and memory: ``RLIMIT_CPU`` and ``RLIMIT_DATA``, set in the child
  by a small bootstrap (this very file, run as a script) before it executes
  the command, so the parent never gets a limit or a signal of its own;
- output: stdout and stderr share one pipe that the parent drains without
  blocking, keeping at most the output cap in memory;
- processes: ``RLIMIT_NPROC``, which the kernel enforces only for a user that
  is not root. When the interviewer runs as root the child therefore drops to
  a user id of its own (keeping only the right to read files, so Python still
  loads), and the parent also counts the child's processes and kills them all
  past the limit;
- network: a ``sitecustomize`` that refuses internet sockets and name look-ups
  in every Python the child starts, plus a fresh network namespace when the
  kernel allows one.

See ``docs/sandbox.md`` for what this does not protect against.
"""

from __future__ import annotations

import json
import os
import random
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

#: Exit status of the bootstrap when it could not apply a limit.
SETUP_FAILED = 121
#: Files larger than this cannot be written (protects the disk, not a verdict).
FILE_SIZE_MB = 256
#: How often the parent counts the child's processes and memory.
WATCH_SECONDS = 0.1
#: Folders not copied into the sandbox: tool caches and version control.
_IGNORED_IN_COPY = (".git", "__pycache__", ".venv", "venv", "node_modules", ".mypy_cache",
                    ".pytest_cache", ".ruff_cache", ".hypothesis")

# Capabilities and prctl options used by the bootstrap (linux/capability.h, linux/prctl.h).
_CAP_DAC_READ_SEARCH = 2
_CAP_SETGID = 6
_CAP_SETUID = 7
_CAP_CHOWN = 0
_PR_SET_PDEATHSIG = 1
_PR_SET_KEEPCAPS = 8
_PR_SET_NO_NEW_PRIVS = 38
_PR_CAP_AMBIENT = 47
_PR_CAP_AMBIENT_RAISE = 2
_CLONE_NEWNET = 0x40000000
_CAP_VERSION_3 = 0x20080522
#: Where the bootstrap picks a private user id when the interviewer runs as root.
_UID_BASE = 0x70000000
_UID_SPAN = 1 << 24


@dataclass(frozen=True)
class Limits:
    """How much a test run may use; a question may override any of them.

    ``test_seconds`` bounds one test (``None``: a quarter of the wall limit,
    between 1 and 10 seconds), so one endless test does not cost the others.
    """

    wall_seconds: float = 60.0
    cpu_seconds: float = 30.0
    memory_mb: int = 1024
    output_kb: int = 1024
    processes: int = 64
    test_seconds: float | None = None

    def __post_init__(self) -> None:
        for name in ("wall_seconds", "cpu_seconds", "memory_mb", "output_kb", "processes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ValueError(f"sandbox limit {name} must be a positive number, got {value!r}")
        if self.test_seconds is not None and self.test_seconds <= 0:
            raise ValueError(f"sandbox limit test_seconds must be positive, got "
                             f"{self.test_seconds!r}")

    @property
    def per_test_seconds(self) -> float:
        """The time one test may take before it is stopped as a timeout."""
        if self.test_seconds is not None:
            return float(self.test_seconds)
        return max(1.0, min(10.0, self.wall_seconds / 4))

    @property
    def output_bytes(self) -> int:
        return int(self.output_kb * 1024)


@dataclass(frozen=True)
class Identity:
    """The user and group id the child runs under when the parent is root."""

    uid: int
    gid: int


@dataclass(frozen=True)
class ProcessResult:
    """How the child ended.

    ``verdict`` is ``exited`` (it ended by itself: see ``returncode``),
    ``timeout``, ``cpu``, ``memory``, ``output-limit``, ``processes``,
    ``sandbox-error`` (a limit could not be applied; ``message`` says which),
    or the reason a ``watch`` callback gave for stopping it.
    """

    verdict: str
    returncode: int | None
    output: bytes
    output_size: int
    duration: float
    cpu_seconds: float
    message: str = ""


# -- the sandbox folder --------------------------------------------------------------------


@dataclass(frozen=True)
class SandboxDir:
    """A private folder: the solution's copy, the tests, a home, a temp dir, the bootstrap."""

    root: Path
    identity: Identity | None = None

    @property
    def work(self) -> Path:
        """The copy of the solution folder: the child's working directory."""
        return self.root / "work"

    @property
    def tests(self) -> Path:
        """The tests, apart from the solution so relative paths do not reach them."""
        return self.root / "tests"

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    @property
    def boot(self) -> Path:
        """``sitecustomize`` and the pytest plugin: on the child's ``PYTHONPATH``."""
        return self.root / "boot"

    @property
    def run(self) -> Path:
        """Where the child writes what it reports (results)."""
        return self.root / "run"

    def install(self, files: Sequence[Path], folder: Path) -> None:
        """Copy ``files`` into ``folder`` afresh, owned by the child's identity."""
        if folder.exists():
            _remove_tree(folder)
        folder.mkdir()
        for source in files:
            shutil.copyfile(source, folder / source.name)
        self._own(folder)

    def _own(self, path: Path) -> None:
        """Give ``path`` (recursively) to the child's user id, so it can write there."""
        if self.identity is None:
            return
        uid, gid = self.identity.uid, self.identity.gid
        os.chown(path, uid, gid, follow_symlinks=False)
        for folder, dirs, files in os.walk(path):
            for name in dirs + files:
                os.chown(os.path.join(folder, name), uid, gid, follow_symlinks=False)


@contextmanager
def sandbox_dir(solution_dir: Path, identity: Identity | None = None) -> Iterator[SandboxDir]:
    """A fresh sandbox folder holding a copy of ``solution_dir``; removed afterwards.

    The original folder is never the child's working directory, and home and
    temp directories point inside the sandbox, so writing or deleting files
    through ordinary paths leaves the original untouched.
    """
    root = Path(tempfile.mkdtemp(prefix="interviewer-sandbox-"))
    box = SandboxDir(root, identity)
    try:
        shutil.copytree(solution_dir, box.work, ignore=shutil.ignore_patterns(*_IGNORED_IN_COPY),
                        ignore_dangling_symlinks=True)
        for folder in (box.tests, box.home, box.tmp, box.run, box.boot):
            folder.mkdir()
        for folder in (box.work, box.tests, box.home, box.tmp, box.run):
            box._own(folder)
        (box.boot / "sitecustomize.py").write_text(NETWORK_GUARD, encoding="utf-8")
        yield box
    finally:
        _remove_tree(root)


def _remove_tree(path: Path) -> None:
    """Remove a tree even where the child took away permissions."""

    def retry(function: Callable[..., object], name: str, _exc: object) -> None:
        with suppress(OSError):
            os.chmod(os.path.dirname(name), stat.S_IRWXU)
            os.chmod(name, stat.S_IRWXU)
            function(name)

    shutil.rmtree(path, onerror=retry)


NETWORK_GUARD = '''\
"""Loaded first by every Python in the sandbox: no internet sockets, no name look-ups."""
import errno as _errno
import socket as _socket

_MESSAGE = "network access is disabled in the sandbox"
_BLOCKED = {_socket.AF_INET, _socket.AF_INET6, getattr(_socket, "AF_PACKET", _socket.AF_INET)}
_original_init = _socket.socket.__init__


def _guarded_init(self, family=-1, type=-1, proto=-1, fileno=None):
    if fileno is None and (family == -1 or family in _BLOCKED):
        raise PermissionError(_errno.EACCES, _MESSAGE)
    _original_init(self, family, type, proto, fileno)


def _refused(*args, **kwargs):
    raise PermissionError(_errno.EACCES, _MESSAGE)


_socket.socket.__init__ = _guarded_init
for _name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr",
              "getnameinfo", "create_connection", "create_server"):
    setattr(_socket, _name, _refused)
'''


# -- who the child runs as -------------------------------------------------------------------


def choose_identity() -> Identity | None:
    """A private user id for the child, when the parent is root and may hand one out.

    Root ignores ``RLIMIT_NPROC``; a process under another user id does not.
    A fresh id per run also means every process the run leaves behind can be
    found and killed by its owner, even one that left the process group.
    """
    if sys.platform != "linux" or os.geteuid() != 0:
        return None
    needed = {_CAP_CHOWN, _CAP_SETUID, _CAP_SETGID, _CAP_DAC_READ_SEARCH}
    if not needed <= _effective_capabilities():
        return None
    uid = _UID_BASE + random.randrange(_UID_SPAN)
    if not (_id_mapped("/proc/self/uid_map", uid) and _id_mapped("/proc/self/gid_map", uid)):
        return None
    return Identity(uid, uid)


def _effective_capabilities() -> set[int]:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            line = next(x for x in status if x.startswith("CapEff:"))
    except (OSError, StopIteration):
        return set()
    bits = int(line.split()[1], 16)
    return {n for n in range(64) if bits >> n & 1}


def _id_mapped(path: str, wanted: int) -> bool:
    """Whether ``wanted`` is a valid id in this user namespace (containers map fewer)."""
    try:
        with open(path, encoding="ascii") as mapping:
            rows = [tuple(int(x) for x in line.split()) for line in mapping if line.strip()]
    except (OSError, ValueError):
        return False
    return any(inside <= wanted < inside + count for inside, _outside, count in rows)


# -- running ------------------------------------------------------------------------------


def run_limited(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    limits: Limits,
    identity: Identity | None = None,
    wall_seconds: float | None = None,
    cpu_seconds: float | None = None,
    output_bytes: int | None = None,
    watch: Callable[[], str | None] | None = None,
) -> ProcessResult:
    """Run ``argv`` under ``limits`` and return how it ended; never raises for the child's sake.

    ``wall_seconds``, ``cpu_seconds`` and ``output_bytes`` override what is
    left of the limits (a caller that runs several attempts passes the rest).
    ``watch`` is called every tick; a string it returns stops the child and
    becomes the verdict.
    """
    started = time.monotonic()
    if sys.platform != "linux":
        return _refused(f"the sandbox needs Linux, and this is {sys.platform}", started)
    cpu = limits.cpu_seconds if cpu_seconds is None else cpu_seconds
    if cpu <= 0:
        return ProcessResult("cpu", None, b"", 0, 0.0, 0.0)
    config = _child_config(limits, identity, cpu)
    # -P: neither this file's folder nor the working directory goes on sys.path.
    command = [sys.executable, "-P", "-s", os.path.abspath(__file__), json.dumps(config), "--",
               *argv]
    try:
        child = subprocess.Popen(command, cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 start_new_session=True, close_fds=True)
    except OSError as error:
        return _refused(f"cannot start the child process: {error}", started)
    supervisor = _Supervisor(child, identity, limits,
                             wall=limits.wall_seconds if wall_seconds is None else wall_seconds,
                             cap=limits.output_bytes if output_bytes is None else output_bytes,
                             watch=watch, started=started)
    return supervisor.run(cpu)


def _refused(message: str, started: float) -> ProcessResult:
    return ProcessResult("sandbox-error", None, b"", 0, time.monotonic() - started, 0.0, message)


def _child_config(limits: Limits, identity: Identity | None, cpu: float) -> dict[str, object]:
    """What the bootstrap applies in the child before it executes the command."""
    nproc = limits.processes
    if os.geteuid() != 0:
        # RLIMIT_NPROC counts every task of the user, not just this run's.
        nproc += _tasks_of_user(os.getuid())
    return {
        "cpu": max(1, int(cpu + 0.999)),
        "data": int(limits.memory_mb * 1024 * 1024),
        "nproc": nproc,
        "fsize": FILE_SIZE_MB * 1024 * 1024,
        "uid": identity.uid if identity else None,
        "gid": identity.gid if identity else None,
        "netns": os.geteuid() == 0,
        "parent": os.getpid(),
    }


class _Supervisor:
    """Drains the child's output and enforces the limits the kernel cannot."""

    def __init__(self, child: subprocess.Popen[bytes], identity: Identity | None,
                 limits: Limits, *, wall: float, cap: int,
                 watch: Callable[[], str | None] | None, started: float) -> None:
        self.child = child
        self.identity = identity
        self.limits = limits
        self.deadline = started + max(0.0, wall)
        self.cap = max(0, cap)
        self.watch = watch
        self.started = started
        self.output = bytearray()
        self.size = 0
        self.verdict: str | None = None
        self.fd = child.stdout.fileno() if child.stdout else -1
        os.set_blocking(self.fd, False)
        self.exit_fd = _pidfd(child.pid)
        self.next_check = started

    def run(self, cpu_limit: float) -> ProcessResult:
        try:
            self._loop()
        finally:
            self._finish()
            code, cpu = self._reap()
        verdict = self.verdict or _exit_verdict(code, cpu, cpu_limit)
        message = ""
        if verdict == "exited" and code == SETUP_FAILED:
            verdict, message = "sandbox-error", self._setup_message()
        return ProcessResult(verdict, code, bytes(self.output), self.size,
                             time.monotonic() - self.started, cpu, message)

    def _loop(self) -> None:
        reading = True
        while self.verdict is None:
            now = time.monotonic()
            if now >= self.deadline:
                self.verdict = "timeout"
                return
            waits = [fd for fd in (self.fd if reading else -1, self.exit_fd) if fd >= 0]
            timeout = min(WATCH_SECONDS, self.deadline - now, max(0.0, self.next_check - now))
            ready, _, _ = select.select(waits, [], [], timeout)
            if self.fd in ready:
                reading = self._read()
            if self._exited():
                return
            if time.monotonic() >= self.next_check:
                self.next_check = time.monotonic() + WATCH_SECONDS
                self.verdict = self._check()

    def _read(self) -> bool:
        """Read what is there; False at end of file. Past the cap, the child is stopped."""
        try:
            data = os.read(self.fd, 1 << 16)
        except BlockingIOError:
            return True
        if not data:
            return False
        self._keep(data)
        if self.size > self.cap:
            self.verdict = "output-limit"
        return True

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        room = self.cap - len(self.output)
        if room > 0:
            self.output += data[:room]

    def _exited(self) -> bool:
        """Whether the child ended, without reaping it (its pid must stay ours until killed)."""
        try:
            info = os.waitid(os.P_PID, self.child.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return True
        return info is not None

    def _check(self) -> str | None:
        """The limits watched from outside: processes, total memory, and the caller's watch."""
        members = _members(self.child.pid, self.identity)
        if len(members) > self.limits.processes:
            return "processes"
        # One process is held by RLIMIT_DATA; several may not add up to more than it either.
        total = self.limits.memory_mb * 1024 * 1024
        if len(members) > 1 and _proportional_memory(members) > total:
            return "memory"
        return self.watch() if self.watch else None

    def _finish(self) -> None:
        """Kill whatever is left of the run, then take the output still in the pipe."""
        _kill_all(self.child.pid, self.identity)
        while self.size <= self.cap:
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                break
            if not data:
                break
            self._keep(data)
        if self.size > self.cap and self.verdict is None:
            self.verdict = "output-limit"
        if self.child.stdout:
            self.child.stdout.close()
        if self.exit_fd >= 0:
            os.close(self.exit_fd)

    def _reap(self) -> tuple[int | None, float]:
        """Wait for the child; its exit code (negative: a signal) and the CPU it used."""
        try:
            _pid, status, usage = os.wait4(self.child.pid, 0)
        except ChildProcessError:
            return self.child.returncode, 0.0
        code = os.waitstatus_to_exitcode(status)
        self.child.returncode = code
        return code, usage.ru_utime + usage.ru_stime

    def _setup_message(self) -> str:
        text = self.output.decode("utf-8", "replace").strip().splitlines()
        return text[-1].removeprefix("sandbox: ") if text else "the sandbox could not start"


def _exit_verdict(code: int | None, cpu: float, cpu_limit: float) -> str:
    if code == -signal.SIGXCPU:
        return "cpu"
    if code == -signal.SIGKILL and cpu >= cpu_limit - 0.05:
        return "cpu"
    return "exited"


def _pidfd(pid: int) -> int:
    """A descriptor that becomes readable when the child ends, so we need not poll."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return -1


# -- finding and killing the run's processes -------------------------------------------------


def _members(leader: int, identity: Identity | None) -> list[int]:
    """The run's live processes: its user id's, or else those in the leader's session."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        pid = int(name)
        try:
            if identity is not None:
                mine = os.stat(f"/proc/{name}").st_uid == identity.uid or pid == leader
            else:
                mine = _session_of(pid) == leader
        except OSError:
            continue
        if mine and not _is_zombie(pid):
            found.append(pid)
    return found


def _stat_fields(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat", "rb") as handle:
        raw = handle.read()
    return raw[raw.rindex(b")") + 2:].decode("ascii").split()


def _session_of(pid: int) -> int:
    return int(_stat_fields(pid)[3])


def _is_zombie(pid: int) -> bool:
    try:
        return _stat_fields(pid)[0] in ("Z", "X")
    except (OSError, ValueError):
        return True


def _proportional_memory(pids: Sequence[int]) -> int:
    """Bytes of memory the processes use, shared pages split between their users (PSS)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError):
            continue
    return total


def _kill_all(leader: int, identity: Identity | None) -> None:
    """SIGKILL the process group and every other process of the run, until none is left.

    Called while the leader is not yet reaped, so its pid (and group id) cannot
    have been reused by an unrelated process.
    """
    for _ in range(100):
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(leader, signal.SIGKILL)
        others = [pid for pid in _members(leader, identity) if pid != leader]
        if not others:
            return
        for pid in others:
            with suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)


def _tasks_of_user(uid: int) -> int:
    """How many tasks (processes and threads) the user has now: RLIMIT_NPROC counts them all."""
    count = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            if os.stat(f"/proc/{name}").st_uid == uid:
                count += len(os.listdir(f"/proc/{name}/task"))
        except OSError:
            continue
    return count


# -- the child side: applied in the child before the command runs ----------------------------


def _child_main(args: list[str]) -> None:
    """Bootstrap: apply the limits to this process, then become the command.

    ``[sys.executable, "-m", module, ...]`` runs the module in this very
    interpreter instead of executing a second one: it saves an interpreter
    start on every test run, and the limits are the same either way.
    """
    config = json.loads(args[1])
    command = args[3:]
    try:
        _apply(config)
    except OSError as error:
        os.write(2, f"sandbox: {error}\n".encode())
        os._exit(SETUP_FAILED)
    if len(command) > 2 and command[:2] == [sys.executable, "-m"]:
        _run_module(command[2], command[3:])
        return
    try:
        os.execv(command[0], command)
    except OSError as error:
        os.write(2, f"sandbox: cannot run {command[0]}: {error}\n".encode())
        os._exit(SETUP_FAILED)


def _run_module(module: str, args: list[str]) -> None:
    import runpy

    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


def _apply(config: dict[str, object]) -> None:
    import resource

    if config["netns"]:
        _try_new_network_namespace()
    cpu = int(config["cpu"])  # type: ignore[call-overload]
    for name, soft, hard in (
        ("RLIMIT_CORE", 0, 0),
        ("RLIMIT_CPU", cpu, cpu + 1),
        ("RLIMIT_DATA", config["data"], config["data"]),
        ("RLIMIT_FSIZE", config["fsize"], config["fsize"]),
        ("RLIMIT_NPROC", config["nproc"], config["nproc"]),
    ):
        try:
            resource.setrlimit(getattr(resource, name), (soft, hard))
        except (OSError, ValueError) as error:
            raise OSError(f"cannot apply the limit {name}: {error}") from None
    if config["uid"] is not None:
        _drop_privileges(int(config["uid"]), int(config["gid"]))  # type: ignore[call-overload]
    _die_with_parent(int(config["parent"]))  # type: ignore[call-overload]


def _libc():  # type: ignore[no-untyped-def]
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def _try_new_network_namespace() -> None:
    """An empty network namespace: even a socket made behind Python's back reaches nothing."""
    _libc().unshare(_CLONE_NEWNET)


def _drop_privileges(uid: int, gid: int) -> None:
    """Become ``uid`` keeping only CAP_DAC_READ_SEARCH (read any file, write none of root's)."""
    import ctypes

    libc = _libc()
    if libc.prctl(_PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0:
        raise OSError(f"cannot keep capabilities: errno {ctypes.get_errno()}")
    try:
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    except OSError as error:
        raise OSError(f"cannot switch to user id {uid}: {error.strerror}") from None

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    data = (Data * 2)()
    bit = 1 << _CAP_DAC_READ_SEARCH
    data[0].effective = data[0].permitted = data[0].inheritable = bit
    steps = (
        lambda: libc.capset(ctypes.byref(Header(_CAP_VERSION_3, 0)), data),
        lambda: libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_RAISE, _CAP_DAC_READ_SEARCH, 0, 0),
        lambda: libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0),
    )
    for step in steps:
        if step() != 0:
            raise OSError(f"cannot drop privileges: errno {ctypes.get_errno()}")


def _die_with_parent(parent: int) -> None:
    """If the interviewer dies, the run dies with it (set after the user id changes)."""
    _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(SETUP_FAILED)


if __name__ == "__main__":
    _child_main(sys.argv)
