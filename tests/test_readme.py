"""The README opens with the two quickstart commands, and CI runs the second one."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands():
    text = (ROOT / "README.md").read_text()
    blocks = text.split("```bash\n")[1:3]
    return [b.split("\n```")[0].strip() for b in blocks]


def test_readme_opens_with_demo_and_test_commands():
    demo, tests = _commands()
    assert demo.endswith("empathica demo") and "pip install" in demo
    assert tests.endswith("pytest") and "pip install" in tests
    head = (ROOT / "README.md").read_text().split("```bash")[0]
    assert head.strip() == "# Empathica"  # nothing comes before the two commands


def test_ci_runs_the_readme_test_command():
    _, tests = _commands()
    assert tests in (ROOT / ".ci" / "run").read_text().splitlines()


def test_readme_lab_example_runs():
    """The README's Python example is real code: it runs and gives an effect with its power."""
    text = (ROOT / "README.md").read_text()
    blocks = [b.split("\n```")[0] for b in text.split("```python\n")[1:]]
    (code,) = [b for b in blocks if "from empathica import lab" in b]
    namespace: dict = {}
    lines = code.strip().splitlines()
    exec("\n".join(lines[:-2]) + "\nresult = " + "\n".join(lines[-2:]), namespace)  # noqa: S102
    row = namespace["result"].iloc[0]
    assert row["effect"] < 0 and 0 < row["power"] <= 1
