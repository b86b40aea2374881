"""benchinfo.py: the machine and version lines every benchmark of bench/ prints at the top of its output."""
import datetime
import os
import platform
import subprocess
from importlib import metadata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLAGS = ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_int8", "amx_bf16"]


def sh(cmd, **kw):
    """stdout of cmd, stripped, or '(ErrorName)'"""
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True, **kw).stdout.strip()
    except Exception as e:
        return f"({type(e).__name__})"


def machine_info():
    model, flags = "?", set()
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name") and model == "?":
                model = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and not flags:
                flags = set(line.split(":", 1)[1].split())
    l3 = "?"
    try:
        for d in sorted(os.listdir("/sys/devices/system/cpu/cpu0/cache")):
            p = f"/sys/devices/system/cpu/cpu0/cache/{d}/"
            if open(p + "level").read().strip() == "3":
                l3 = open(p + "size").read().strip()
    except OSError:
        pass
    return {"model": model, "flags": [f for f in FLAGS if f in flags], "missing": [f for f in FLAGS if f not in flags],
            "avx512f": "avx512f" in flags, "avx2": "avx2" in flags, "cpus": os.cpu_count(),
            "affinity": len(os.sched_getaffinity(0)), "l3": l3}


def versions(dists):
    v = {"python": platform.python_version()}
    for d in dists:
        try:
            v[d] = metadata.version(d)
        except metadata.PackageNotFoundError:
            v[d] = "not installed"
    return v


def header(command, dists, make_targets):
    """the lines of the header block: command, date, CPU, flags, load, versions, mtl commit and build commands"""
    mi = machine_info()
    load = os.getloadavg()
    lines = [f"command:   {command}",
             f"date:      {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M:%S')} UTC",
             f"cpu:       {mi['model']}; {mi['cpus']} logical CPUs ({mi['affinity']} usable); L3 {mi['l3']}",
             f"flags:     {' '.join(mi['flags']) or '-'}   (absent: {' '.join(mi['missing']) or '-'})",
             f"load avg:  {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at start",
             f"kernel:    {platform.release()}; {platform.libc_ver()[0]} {platform.libc_ver()[1]}",
             "versions:  " + ", ".join(f"{k} {v}" for k, v in versions(dists).items()),
             f"mtl:       {sh(['git', '-C', ROOT, 'describe', '--always', '--dirty', '--abbrev=12'])}; "
             f"{sh(['cc', '--version']).splitlines()[0]}"]
    for t in make_targets:   # the compile command `make` uses for it (printed by make -n -B, nothing is built)
        cmds = [l for l in sh(["make", "-C", ROOT, "-s", "-B", "-n", t]).splitlines() if " -o " + t in l]
        lines.append(f"build:     {cmds[0] if cmds else '?'}")
    return mi, lines
