"""`make down` stops the emulator named by its pid file, and nothing else: a stale pid file
whose pid the system has given to another process leaves that process alone; it returns once
the emulator has exited."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from iackit import mainjob
from iackit.emulator import Emulator

pytestmark = pytest.mark.unit


def test_a_stale_pid_is_left_alone(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    bystander = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(30)"], start_new_session=True
    )
    try:
        monkeypatch.setattr(mainjob, "PID_FILE", tmp_path / "moto.pid")
        mainjob.PID_FILE.write_text(str(bystander.pid))
        for name in ("PORT_FILE", "DEV_STATE", "OUTPUTS_FILE"):
            monkeypatch.setattr(mainjob, name, tmp_path / name)
        mainjob.stop_background_emulator()
        assert bystander.poll() is None, "a process that is not the emulator was killed"
        assert not mainjob.PID_FILE.exists()
    finally:
        bystander.kill()
        bystander.wait()


def test_the_emulator_process_is_recognised(aws: Emulator) -> None:
    assert aws.process is not None
    assert mainjob.is_our_emulator(aws.process.pid)
    assert not mainjob.is_our_emulator(os.getpid())


def test_down_returns_once_the_emulator_has_exited(tmp_path, monkeypatch) -> None:
    emulator = Emulator().start()
    try:
        assert emulator.process is not None
        pid = emulator.process.pid
        monkeypatch.setattr(mainjob, "PID_FILE", tmp_path / "moto.pid")
        mainjob.PID_FILE.write_text(str(pid))
        for name in ("PORT_FILE", "DEV_STATE", "OUTPUTS_FILE"):
            monkeypatch.setattr(mainjob, name, tmp_path / name)
        mainjob.stop_background_emulator()
        assert not mainjob.is_our_emulator(pid), "`make down` returned before the emulator exited"
    finally:
        emulator.stop()
