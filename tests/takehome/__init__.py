"""Tests of the take-home machine, harness, checker and diagnostics."""
