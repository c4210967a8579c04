"""Shared test paths. The corpora are copied into the repo so tests never need ../shared."""

from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
SEEDS_DIR = TESTS_DIR / "fixtures" / "corpus" / "seeds"
DEV_DIR = TESTS_DIR / "fixtures" / "corpus" / "dev"
GOLD_DIR = TESTS_DIR / "gold"
