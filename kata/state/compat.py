"""Which torch releases the answers are verified on, and the one line a learner on another sees.

CI proves the answers on each of these (``.ci/leg``: 2.13 pinned, 2.14.1 and
the newest release from the package index); the README names the same list
and a kit test keeps the two in step.  Reading the installed version from the
package metadata costs a file read, not an import of torch.
"""

from __future__ import annotations

from importlib import metadata

VERIFIED_TORCH = ("2.13", "2.14", "2.15")


def release(version: str) -> str:
    """``2.15.0+cu132`` -> ``2.15``."""
    return ".".join(version.split("+")[0].split(".")[:2])


def release_note(version: str | None = None) -> str | None:
    """One line for a learner whose torch is not a verified release, else None."""
    if version is None:
        try:
            version = metadata.version("torch")
        except metadata.PackageNotFoundError:
            return None  # the missing torch is reported on its own
    if release(version) in VERIFIED_TORCH:
        return None
    return (
        f"kata: torch {version} is not among the releases the answers are verified on "
        f"({', '.join(VERIFIED_TORCH)}); a koan may disagree with it"
    )
