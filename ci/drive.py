#!/usr/bin/env python3
"""Runs one QEMU guest for a scenario and drives it.

QEMU's argv comes from a file (one argument per line, from ci/qemu-cmd.sh). The guest's /init
says `@@hello` on the control channel (ttyS1, a unix socket here); the driver answers with the
test to run, carries out the host actions the test asks for (`@@act NAME`) over QMP, and keeps
every other line the guest sends (its KTAP) in the results file. The console goes to a file
through QEMU. Every wait is bounded.

Exit status: 0 the guest test ran to its end, 2 the kernel did not boot, 3 the guest test hung,
1 anything else (the reason is printed on one line).
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import time


class Fail(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code


class Lines:
    """A socket read as lines, each read bounded by a deadline."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def readline(self, deadline):
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(4096)
            except socket.timeout as e:
                raise TimeoutError from e
            if not data:
                raise EOFError
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode("utf-8", "replace").rstrip("\r")

    def send(self, text):
        self.sock.sendall(text.encode() + b"\n")


def connect(path, deadline, qemu):
    while True:
        if qemu.poll() is not None:
            raise Fail(1, f"QEMU exited with status {qemu.returncode} before {path} was ready")
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise Fail(1, f"QEMU did not open {path}")
            time.sleep(0.05)


class QMP:
    def __init__(self, sock):
        self.io = Lines(sock)
        self.events = []
        self.io.readline(time.monotonic() + 10)  # greeting
        self.execute("qmp_capabilities")

    def execute(self, cmd, timeout=30, **args):
        msg = {"execute": cmd}
        if args:
            msg["arguments"] = args
        self.io.send(json.dumps(msg))
        deadline = time.monotonic() + timeout
        while True:
            reply = json.loads(self.io.readline(deadline))
            if "event" in reply:
                self.events.append(reply)
            elif "error" in reply:
                raise RuntimeError(f"{cmd}: {reply['error'].get('desc')}")
            elif "return" in reply:
                return reply["return"]

    def wait_event(self, name, timeout, **data):
        deadline = time.monotonic() + timeout
        while True:
            for ev in self.events:
                if ev["event"] == name and all(ev.get("data", {}).get(k) == v
                                               for k, v in data.items()):
                    self.events.remove(ev)
                    return ev
            try:
                reply = json.loads(self.io.readline(deadline))
            except TimeoutError:
                raise RuntimeError(f"no {name} event within {timeout} s") from None
            if "event" in reply:
                self.events.append(reply)


def size_bytes(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if text[-1:].upper() in units:
        return int(text[:-1]) * units[text[-1].upper()]
    return int(text)


# The DIMMs' memory backends that exist, by DIMM id: their size in bytes. dimm-unplug keeps a
# DIMM's backend, so that the next dimm-add of the id plugs the same host memory in again
# rather than fresh (untouched) memory; dimm-del deletes it.
BACKENDS = {}


def dimm_add(qmp, dimm_id, size, node=None):
    want, have = size_bytes(size), BACKENDS.get(dimm_id)
    if have is None:
        qmp.execute("object-add", **{"qom-type": "memory-backend-ram",
                                     "id": f"mem-{dimm_id}", "size": want})
        BACKENDS[dimm_id] = want
    elif have != want:
        raise RuntimeError(f"dimm-add {dimm_id} {size}: its kept memory has {have} bytes")
    dev = {"driver": "pc-dimm", "id": dimm_id, "memdev": f"mem-{dimm_id}"}
    if node is not None:
        dev["node"] = int(node)
    qmp.execute("device_add", **dev)


def dimm_unplug(qmp, dimm_id, timeout="120"):
    qmp.execute("device_del", id=dimm_id)
    qmp.wait_event("DEVICE_DELETED", int(timeout), device=dimm_id)


def dimm_del(qmp, dimm_id, timeout="120"):
    dimm_unplug(qmp, dimm_id, timeout)
    qmp.execute("object-del", id=f"mem-{dimm_id}")
    BACKENDS.pop(dimm_id, None)


HOST_ACTIONS = {"dimm-add": dimm_add, "dimm-del": dimm_del, "dimm-unplug": dimm_unplug}


def last_console_lines(path, n=15):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return "(no console output)"
    return "\n".join("    " + line for line in lines[-n:]) or "(no console output)"


FATAL = ("Kernel panic", "Oops:", "BUG: kernel NULL pointer", "general protection fault",
         "kernel BUG at", "BUG: unable to handle")


def crashed(console):
    """The first line of the console log that says the kernel crashed, if any."""
    try:
        with open(console, encoding="utf-8", errors="replace") as f:
            for line in f:
                if any(p in line for p in FATAL):
                    return line.strip()
    except OSError:
        pass
    return None


def drive(args, scn, qemu):
    start = time.monotonic()
    ctl = Lines(connect(args.ctl, start + 30, qemu))
    qmp = QMP(connect(args.qmp, start + 30, qemu))
    try:
        line = ctl.readline(start + args.boot_timeout)
        while line != "@@hello":
            line = ctl.readline(start + args.boot_timeout)
    except TimeoutError:
        raise Fail(2, f"kernel did not boot within {args.boot_timeout} s") from None
    except EOFError:
        raise Fail(2, "kernel did not boot: QEMU exited before the guest's /init ran") from None
    boot_s = time.monotonic() - start
    ctl.send("@@run " + " ".join(scn["guest"]))

    # Slower kernels (KASAN) get more time: TIMEOUT_SCALE (default 1) multiplies the limit.
    scn["timeout"] = int(scn["timeout"] * float(os.environ.get("TIMEOUT_SCALE", "1")))
    deadline = time.monotonic() + scn["timeout"]
    last = "(none)"
    rc = None
    with open(args.results, "w", encoding="utf-8") as out:
        while True:
            try:
                line = ctl.readline(min(deadline, time.monotonic() + 2))
            except TimeoutError:
                crash = crashed(args.console)
                if crash:
                    time.sleep(3)
                    raise Fail(1, f"kernel crashed: {crash} (last result line: {last})"
                               ) from None
                if time.monotonic() < deadline:
                    continue
                raise Fail(3, f"guest test hung: no end within {scn['timeout']} s "
                              f"(last result line: {last})") from None
            except EOFError:
                raise Fail(1, f"guest stopped before its test ended (last result line: {last})"
                           ) from None
            if line.startswith("@@act "):
                name = line[6:].strip()
                what = scn["actions"].get(name)
                if what is None:
                    ctl.send(f"@@fail no action '{name}' in the scenario")
                    continue
                try:
                    HOST_ACTIONS[what[0]](qmp, *what[1:])
                    ctl.send("@@ok")
                except (RuntimeError, TimeoutError, EOFError) as e:
                    ctl.send(f"@@fail {e}")
                print(f"action {name}: {' '.join(what)}", file=sys.stderr)
            elif line.startswith("@@done"):
                rc = int(line.split()[1])
            elif line == "@@end":
                break
            else:
                out.write(line + "\n")
                out.flush()
                if line.strip():
                    last = line.strip()
    try:
        qemu.wait(timeout=60)
    except subprocess.TimeoutExpired:
        raise Fail(1, "guest did not power off within 60 s of its test's end") from None
    return rc, boot_s


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", required=True, help="scenario JSON from ci/scenario.py")
    ap.add_argument("--qemu-argv", required=True, help="file with QEMU's argv, one per line")
    ap.add_argument("--ctl", required=True)
    ap.add_argument("--qmp", required=True)
    ap.add_argument("--console", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--status", required=True, help="JSON written with rc and times")
    ap.add_argument("--boot-timeout", type=int, default=120)
    args = ap.parse_args()

    with open(args.scenario, encoding="utf-8") as f:
        scn = json.load(f)
    with open(args.qemu_argv, encoding="utf-8") as f:
        argv = f.read().splitlines()
    for path in (args.ctl, args.qmp):
        if os.path.exists(path):
            os.unlink(path)
    t0 = time.monotonic()
    with open(args.console + ".qemu", "w", encoding="utf-8") as qlog:
        qemu = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=qlog, stderr=qlog)
    status = {"rc": None, "boot_s": None, "total_s": None, "error": None}
    code = 0
    try:
        status["rc"], status["boot_s"] = drive(args, scn, qemu)
    except Fail as e:
        code = e.code
        status["error"] = str(e)
        msg = f"drive.py: error: {scn['name']}: {e}"
        if e.code == 2:
            msg += "; last console lines:\n" + last_console_lines(args.console)
        print(msg, file=sys.stderr)
    finally:
        if qemu.poll() is None:
            qemu.kill()
            qemu.wait()
        status["total_s"] = round(time.monotonic() - t0, 1)
        if status["boot_s"] is not None:
            status["boot_s"] = round(status["boot_s"], 1)
        with open(args.status, "w", encoding="utf-8") as f:
            json.dump(status, f)
    sys.exit(code)


if __name__ == "__main__":
    main()
