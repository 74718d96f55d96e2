"""The README's two set-up commands are its first code block, and CI runs the second."""

from conftest import REPO


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text("utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return block.strip().splitlines()


def test_two_commands_main_job_then_tests():
    main, tests = readme_commands()
    assert main.startswith("pip install . && digest ") and "samples/" in main
    assert tests == "pip install '.[test]' && python -m pytest"


def test_ci_runs_the_readme_test_command_as_written():
    ci = (REPO / ".ci" / "run").read_text("utf-8").splitlines()
    assert readme_commands()[1] in ci
