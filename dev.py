#!/usr/bin/env python3
"""Bootstrap for developers and CI: needs only Python 3.11+ (no make, no venv made beforehand).

    python3 dev.py run [ARGS...]    chibo ARGS (plain `run`: `chibo run`, the console chat)
    python3 dev.py test [ARGS...]   pytest ARGS (no test collected counts as a failure)
    python3 dev.py mutate [PATH...] [--tests TEST...]
                                    mutation testing (mutmut) of models/ and bot/dispatcher.py,
                                    or of PATH; prints the surviving mutants and the score.
                                    --tests: run only these test files (or node ids) against the
                                    mutants, instead of every test that reaches the code
                                    CHIBO_MUTATE_TIMEOUT=N: a mutant times out after N times its
                                    tests' usual time (pyproject.toml: 3); a new N re-runs only the
                                    timeouts, which is how a timeout under load is checked

Both create .venv beside this file when it is missing and install the project into it
(`pip install -e ".[test]"`) whenever pyproject.toml changed since the last install: a
stamp file inside .venv keeps the hash of the pyproject.toml that was installed.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
PYTHON = BIN / "python"
STAMP = VENV / ".chibo-install-stamp"
PYPROJECT = ROOT / "pyproject.toml"

USAGE = """usage: python3 dev.py run [ARGS...]     run chibo ARGS (default: chibo run)
       python3 dev.py test [ARGS...]    run the tests (pytest ARGS)
       python3 dev.py mutate [PATH...] [--tests TEST...]
                                        mutation testing of models/ and bot/dispatcher.py (or PATH,
                                        or mutant names such as 'models.rules.x_age*'),
                                        against every test or only TEST..."""
# Survivors judged equivalent (no test can tell them apart), one per line: NAME  # reason
EQUIVALENT = ROOT / "tests" / "mutants_equivalent.txt"


def say(text: str) -> None:
    print(f"dev.py: {text}", file=sys.stderr, flush=True)


def fail(text: str, code: int = 1) -> None:
    say(text)
    raise SystemExit(code)


def quiet_run(cmd: list[str]) -> int:
    """Run a setup step: no stdin (it belongs to chibo), its output on our stderr."""
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    # setuptools' banner about editable installs says nothing useful here.
    quiet = "ignore:Editable installation"
    env["PYTHONWARNINGS"] = ",".join(filter(None, [env.get("PYTHONWARNINGS"), quiet]))
    env.pop("PYTHONHOME", None)
    return subprocess.run(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=sys.stderr,
                          env=env).returncode


def venv_works() -> bool:
    if not PYTHON.exists():  # also False for a link to a Python that is gone
        return False
    probe = subprocess.run([str(PYTHON), "-c", "import sys; sys.exit(sys.version_info < (3, 11))"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    return probe.returncode == 0


def ensure_venv() -> None:
    if venv_works():
        return
    broken = VENV.exists()
    say(f"{'re-creating' if broken else 'creating'} {VENV}")
    cmd = [sys.executable, "-m", "venv", *(["--clear"] if broken else []), str(VENV)]
    if quiet_run(cmd) != 0 or not PYTHON.exists():
        fail("could not create the virtual environment; on Debian/Ubuntu install python3-venv "
             "(apt-get install python3-venv) and try again")


def pyproject_hash() -> str:
    return hashlib.sha256(PYPROJECT.read_bytes()).hexdigest()


def ensure_installed() -> None:
    wanted = pyproject_hash()
    try:
        if STAMP.read_text().strip() == wanted:
            return
    except OSError:
        pass
    say('installing chibo into .venv (pip install -e ".[test]") ...')
    code = quiet_run([str(PYTHON), "-m", "pip", "install", "-q", "-e", ".[test]"])
    if code != 0:
        fail(f"pip install failed (exit code {code})", code)
    tmp = STAMP.with_name(STAMP.name + ".tmp")
    tmp.write_text(wanted + "\n")
    tmp.replace(STAMP)
    say("installed")


def prepare() -> None:
    if sys.version_info < (3, 11):
        fail(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]})")
    if not PYPROJECT.is_file():
        fail(f"{PYPROJECT} not found")
    ensure_venv()
    ensure_installed()


def run(args: list[str]) -> None:
    prepare()
    chibo = BIN / "chibo"
    if not chibo.exists():
        fail(f"{chibo} is missing; delete {STAMP} to reinstall")
    # chibo finds .env and ./data beside the project, wherever it is called from.
    os.chdir(ROOT)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(str(chibo), [str(chibo), *(args or ["run"])])


def test(args: list[str]) -> int:
    prepare()
    code = subprocess.run([str(PYTHON), "-m", "pytest", *args]).returncode
    if code == 5:
        say("pytest collected no tests: that counts as a failure")
        return 1
    return code


def mutant_pattern(path: str) -> str:
    """models/rules.py -> models.rules.*  (mutmut names a mutant module.function__mutmut_N).
    A mutant name, or a pattern of them, is taken as it is: 'models.register_write.x__update__mutmut_*'
    runs one function's mutants again after a change to it."""
    if path.startswith(("models.", "bot.")) and not path.endswith(".py"):
        return path
    module = path.strip("/").removesuffix(".py").replace("/", ".")
    return f"{module}.*"


def equivalent_mutants() -> dict[str, str]:
    if not EQUIVALENT.is_file():
        return {}
    found = {}
    for line in EQUIVALENT.read_text().splitlines():
        name, _, reason = line.partition("#")
        if name.strip():
            found[name.strip()] = reason.strip()
    return found


# mutmut's command line, with the test selection taken from CHIBO_MUTATE_TESTS when it is set.
RUN_MUTMUT = """
import os, sys
from mutmut.configuration import config
tests = [t for t in os.environ.get("CHIBO_MUTATE_TESTS", "").split("\\n") if t]
if tests:
    config().pytest_add_cli_args_test_selection[:] = tests
if os.environ.get("CHIBO_MUTATE_TIMEOUT"):  # a new multiplier: mutmut runs its timeouts again, only them
    config().timeout_multiplier = float(os.environ["CHIBO_MUTATE_TIMEOUT"])
from mutmut.__main__ import cli
sys.argv[0] = "mutmut"
cli()
"""


def mutate(args: list[str]) -> int:
    prepare()
    if subprocess.run([str(PYTHON), "-c", "import mutmut"], stderr=subprocess.DEVNULL).returncode != 0:
        say('installing mutmut into .venv (pip install -e ".[test,mutate]") ...')
        code = quiet_run([str(PYTHON), "-m", "pip", "install", "-q", "-e", ".[test,mutate]"])
        if code != 0:
            fail(f"pip install failed (exit code {code})", code)
    paths, tests = (args[:args.index("--tests")], args[args.index("--tests") + 1:]) if "--tests" in args \
        else (args, [])
    if "--tests" in args and not tests:
        fail("--tests needs at least one test file")
    patterns = [mutant_pattern(a) for a in paths]
    mutmut = str(BIN / "mutmut")
    # mutmut works in ./mutants (a copy of the tree, kept between runs: it resumes where it left off).
    # It first runs the chosen tests once to learn which test reaches which function, then each
    # mutant against the tests that reach it. A database-backed module is reached by hundreds of
    # slow flow tests; --tests narrows them to the fast ones named (mutmut reads its test selection
    # only from pyproject.toml, so it is set here, before mutmut runs, in the same process).
    # Changing the tests makes mutmut forget earlier results: note each module's figures.
    # CHIBO_MUTATE_CHILDREN: how many mutants at once (default: one per core); fewer on a shared machine.
    children = os.environ.get("CHIBO_MUTATE_CHILDREN") or str(os.cpu_count() or 1)
    command = [str(PYTHON), "-c", RUN_MUTMUT, "run", "--max-children", children, *patterns]
    env = dict(os.environ, CHIBO_MUTATE_TESTS="\n".join(tests))
    code = subprocess.run(command, cwd=ROOT, stdin=subprocess.DEVNULL, env=env).returncode
    if code != 0:
        fail(f"mutmut run failed (exit code {code})", code)
    listing = subprocess.run([mutmut, "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True,
                             stdin=subprocess.DEVNULL)
    statuses: dict[str, str] = {}
    for line in listing.stdout.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and (not patterns or any(fnmatch.fnmatch(name, p) for p in patterns)):
            statuses[name] = status.strip()
    equivalent = equivalent_mutants()
    caught = {"killed", "timeout"}  # a mutant that makes the tests hang is caught too, as mutmut counts it
    survivors = sorted(n for n, s in statuses.items() if s not in caught | {"skipped"} and n not in equivalent)
    judged = [n for n in statuses if statuses[n] != "skipped" and n not in equivalent]
    killed = sum(statuses[n] in caught for n in judged)
    for name in survivors:
        print(f"{statuses[name]:>10}  {name}   (see: {mutmut} show {name})")
    score = 100 * killed / len(judged) if judged else 100.0
    print(f"\n{killed} of {len(judged)} mutants killed ({score:.1f} %); "
          f"{sum(n in equivalent for n in statuses)} listed as equivalent in {EQUIVALENT.relative_to(ROOT)}; "
          f"{len(survivors)} to kill or to list there")
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE, file=sys.stderr if not argv else sys.stdout)
        return 2 if not argv else 0
    command, args = argv[0], argv[1:]
    if command == "run":
        run(args)
        return 0  # not reached: execv replaced this process
    if command == "test":
        return test(args)
    if command == "mutate":
        return mutate(args)
    print(f"dev.py: unknown command {command!r}\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
