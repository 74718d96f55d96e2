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


def test_the_installed_package_runs_from_anywhere(tmp_path):
    """The installed `digest` (not this source tree) has its modules and data files: run it
    from another folder, where the source tree is not on the path."""
    import subprocess
    import sys

    probe = subprocess.run([sys.executable, "-c", "import digest, sys; print(digest.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True)
    if probe.returncode != 0:
        import pytest

        pytest.skip("digest is not installed (pip install . first)")
    result = subprocess.run([sys.executable, "-m", "digest", "toc", str(REPO / "samples" / "issue-200.pdf"),
                             "--json"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert '"bulletin": "长三角每周要讯"' in result.stdout
