# SPDX-License-Identifier: GPL-2.0-or-later
"""The README's other commands, as a user runs them: `make run` (the demo
guest reports what it received and judges it against the PVH ABI; the
command fails when the guest finds a problem), `make install`, and the
build of the ROM itself: the same sources give the same bytes, also from
a cross toolchain named by its prefix, and ROM_SELFLOAD=0 the drop-in
alone; and the fuzzer's committed seeds, which `make fuzz-seeds` writes."""
import os
import shutil
import subprocess

from qemu import BUILD, DROPIN_ROM, QEMU_ROM, REPO


def make(*args, env=None, timeout=300, src=REPO, build=BUILD):
    """make in the source tree src, building into build (the tests' own
    build directory unless a test needs a fresh one)."""
    return subprocess.run(["make", "--no-print-directory", "-C", str(src),
                           f"BUILD={build}", *args],
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def test_make_run_boots_the_demo():
    p = make("run", "APPEND=console=ttyS0 from the test")
    out = p.stdout + p.stderr
    assert p.returncode == 0, out
    assert "==== everything per the PVH ABI ====" in out, out
    assert '"pvh.demo console=ttyS0 from the test"' in out, out
    assert "ABI problems" not in out, out


def test_run_script_fails_when_the_guest_finds_a_problem(tmp_path):
    """scripts/run.sh (what `make run` runs after building) with QEMU's
    own pvh.bin in the build directory: the demo finds the missing TR and
    the command fails, saying why."""
    build = tmp_path / "build"
    (build / "guests").mkdir(parents=True)
    (build / "guests" / "guest64.elf").symlink_to(BUILD / "guests" / "guest64.elf")
    (build / "pvh.bin").symlink_to(QEMU_ROM)
    p = subprocess.run([str(REPO / "scripts" / "run.sh")], capture_output=True, text=True,
                       timeout=300, env={**os.environ, "BUILD": str(build)})
    out = p.stdout + p.stderr
    assert p.returncode == 1, out
    assert "==== ABI problems: " in out, out
    assert "run: the demo guest found ABI problems" in out, out


def test_make_install(tmp_path):
    p = make("install", f"DESTDIR={tmp_path}", "PREFIX=/usr")
    assert p.returncode == 0, p.stdout + p.stderr
    rom = tmp_path / "usr" / "share" / "pvh-bin" / "pvh.bin"
    inspect = tmp_path / "usr" / "bin" / "pvh-inspect"
    assert rom.read_bytes() == (BUILD / "pvh.bin").read_bytes()
    assert os.access(inspect, os.X_OK)
    assert inspect.read_bytes() == (BUILD / "pvh-inspect").read_bytes()
    assert not (tmp_path / "usr" / "share" / "qemu").exists(), "QEMU's directory touched"


def test_make_install_rom_installs_the_rom_alone(tmp_path):
    """install-rom, for a packager who built only the ROM (perhaps with a
    cross toolchain): it installs the ROM and nothing else, and from an
    empty build directory it would build the ROM and nothing else."""
    p = make("install-rom", f"DESTDIR={tmp_path}", "PREFIX=/usr")
    assert p.returncode == 0, p.stdout + p.stderr
    files = sorted(str(f.relative_to(tmp_path)) for f in tmp_path.rglob("*") if f.is_file())
    assert files == ["usr/share/pvh-bin/pvh.bin"]
    assert (tmp_path / files[0]).read_bytes() == (BUILD / "pvh.bin").read_bytes()
    dry = make("-n", f"DESTDIR={tmp_path / 'dest'}", "install-rom",
               build=tmp_path / "fresh-build")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "romsign.py" in dry.stdout, dry.stdout
    for other in ("pvh-inspect", "qemu_map", "guests", "memcpy-bw", "memaudit"):
        assert other not in dry.stdout, (other, dry.stdout)


def test_rom_build_is_reproducible(tmp_path):
    """A distribution rebuilding the ROM gets the image under test, byte
    for byte: built from a copy of the sources in another directory, into
    another build directory, with the same compiler (the build records
    no path, time or host name)."""
    src = tmp_path / "elsewhere" / "pvh-src"
    shutil.copytree(REPO, src, symlinks=True,
                    ignore=shutil.ignore_patterns(".git", "build", BUILD.name, "__pycache__"))
    out = tmp_path / "out"
    p = make("rom", src=src, build=out)
    assert p.returncode == 0, p.stdout + p.stderr
    assert (out / "pvh.bin").read_bytes() == (BUILD / "pvh.bin").read_bytes()


def test_make_rom_without_selfloading(tmp_path):
    """`make rom ROM_SELFLOAD=0`, for a QEMU that wants the drop-in alone:
    its pvh.bin is the drop-in-only ROM that `make` builds beside the full
    one (build/dropin/pvh.bin, which the other tests boot), and the build
    says so; a value other than 0 or 1 is refused."""
    p = make("rom", "ROM_SELFLOAD=0", build=tmp_path / "out")
    assert p.returncode == 0, p.stdout + p.stderr
    assert (tmp_path / "out" / "pvh.bin").read_bytes() == DROPIN_ROM.read_bytes()
    assert DROPIN_ROM.read_bytes() != (BUILD / "pvh.bin").read_bytes()
    assert "bytes (drop-in only)" in p.stdout, p.stdout
    bad = make("rom", "ROM_SELFLOAD=no", build=tmp_path / "bad")
    assert bad.returncode != 0, bad.stdout + bad.stderr
    assert 'ROM_SELFLOAD must be 0 or 1, not "no"' in bad.stderr, bad.stderr
    assert not (tmp_path / "bad" / "pvh.bin").exists()


def _script(path, text):
    path.write_text("#!/bin/sh\n" + text)
    path.chmod(0o755)


def test_rom_builds_with_a_cross_toolchain(tmp_path):
    """`make rom ROM_CROSS=prefix`, as on a host that is not x86: every
    tool of the ROM's build is the prefix's (here wrappers around this
    host's GCC and binutils that log each call), none is the host's CC
    (false) or a bare name from PATH (which finds failing stand-ins), no
    host tool or test guest is built, and the image is the one under
    test."""
    log = tmp_path / "calls.log"
    cross = tmp_path / "cross"
    poison = tmp_path / "poison"
    cross.mkdir()
    poison.mkdir()
    for tool in ("gcc", "objcopy", "nm"):
        _script(cross / f"x86-test-{tool}",
                f'echo {tool} >> "{log}"\nexec "{shutil.which(tool)}" "$@"\n')
    for tool in ("cc", "gcc", "objcopy", "nm"):
        _script(poison / tool, f'echo "{tool} from PATH was run" >&2\nexit 1\n')
    out = tmp_path / "out"
    p = make("CC=false", f"ROM_CROSS={cross}/x86-test-", "rom", build=out,
             env={"PATH": f"{poison}:{os.environ['PATH']}"})
    assert p.returncode == 0, p.stdout + p.stderr
    assert "from PATH was run" not in p.stderr, p.stderr
    assert (out / "pvh.bin").read_bytes() == (BUILD / "pvh.bin").read_bytes()
    assert set(log.read_text().split()) == {"gcc", "objcopy", "nm"}
    assert sorted(f.name for f in out.iterdir()) == ["optionrom", "pvh.bin", "pvh.elf"]


def test_fuzz_seeds_are_the_unit_corpus(tmp_path):
    """The fuzzer's committed seeds (tests/fuzz/corpus) are what `make
    fuzz-seeds` writes from the unit tests' corpus today: a case added to
    elf_corpus.py without regenerating them fails here."""
    seeds = tmp_path / "seeds"
    p = subprocess.run(["/usr/bin/python3", str(REPO / "tests" / "unit" / "elf_corpus.py"),
                        "--seeds", str(seeds)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    committed = REPO / "tests" / "fuzz" / "corpus"
    want = {f.name: f.read_bytes() for f in seeds.iterdir()}
    have = {f.name: f.read_bytes() for f in committed.iterdir()}
    assert len(want) > 50, f"only {len(want)} seeds written"
    missing, extra = sorted(set(want) - set(have)), sorted(set(have) - set(want))
    differ = sorted(n for n in set(want) & set(have) if want[n] != have[n])
    assert not (missing or extra or differ), \
        f"run `make fuzz-seeds`: missing {missing}, extra {extra}, different {differ}"
