"""Auto-checked exercises, one module per notebook (``course_lib.exercises.ch01`` for notebook 01).

Convention: in the notebook a student replaces ``...`` (``Ellipsis``) with an answer and calls
the checker. A checker prints one line of feedback and returns ``True`` (correct), ``False``
(wrong, with a hint) or ``None`` (not answered yet). It never raises on a wrong answer, so the
notebook still runs top to bottom. Checkers take a function or an array and test it on cases of their
own (never one scalar that a loop over guesses could find), and their hints point to the idea without
giving the value. Reference solutions live in ``solutions/chNN.py`` at the repository root (a place a
student opens on purpose); ``tests/test_exercises_chNN.py``
checks that each checker accepts its solution and rejects typical mistakes and a random guess.
"""
from __future__ import annotations

__all__ = ["feedback", "not_answered", "check", "check_own", "uses_library", "refusing_library"]


def not_answered(answer) -> bool:
    return answer is Ellipsis or answer is None


def feedback(ok: bool | None, message: str = "") -> bool | None:
    """Print the verdict in one line and return it."""
    if ok is None:
        print("… not answered yet: replace the `...` with your answer and run the cell again.")
    elif ok:
        print(f"✅ correct{': ' + message if message else ''}")
    else:
        print(f"❌ not yet: {message}")
    return ok


def check(answer, predicate, hint: str, praise: str = "") -> bool | None:
    """Run ``predicate(answer)``; errors in the student's answer become feedback, not a traceback."""
    if not_answered(answer):
        return feedback(None)
    try:
        ok = bool(predicate(answer))
    except Exception as err:  # a student's function may fail in any way
        return feedback(False, f"{hint} (your answer raised {type(err).__name__}: {err})")
    return feedback(ok, praise if ok else hint)


def uses_library(answer, objects=(), names=()) -> str | None:
    """Why ``answer`` is the library's own answer rather than the student's, or None.

    ``objects``: functions that would answer the exercise if passed directly (scipy's, torch's, the course's).
    ``names``: words whose presence in the answer's source shows it calls such a function. A callable that is not
    a Python function (a ufunc, a builtin, a class) counts as a library object.
    """
    import inspect

    if any(answer is obj for obj in objects):
        return f"{getattr(answer, '__name__', answer)} is a library function: write the computation yourself"
    if not (inspect.isfunction(answer) or inspect.ismethod(answer)):
        return "this is not a function written in Python: write the computation yourself"
    try:
        source = inspect.getsource(answer)
    except (OSError, TypeError):   # defined where Python keeps no source (a plain REPL): nothing to read
        return None
    used = [n for n in names if n in source]
    return f"your answer calls {', '.join(used)}: write the computation yourself" if used else None


def check_own(answer, predicate, hint: str, praise: str = "", *, objects=(), names=()) -> bool | None:
    """:func:`check`, after refusing an answer that hands the work to ``objects`` or calls ``names``."""
    if not_answered(answer):
        return feedback(None)
    why = uses_library(answer, objects, names)
    if why is not None:
        return feedback(False, why)
    return check(answer, predicate, hint, praise)


def refusing_library(predicate, places):
    """``predicate`` run with the library's own answers out of reach: the attribute ``name`` of each
    ``(owner, name)`` in ``places`` (a module or a class) is refused as an answer, and while the answer runs,
    calling it raises (the point of the exercise is to write it). The attributes are restored afterwards."""
    places = [(owner, name) for owner, name in places if hasattr(owner, name)]
    library = {getattr(owner, name) for owner, name in places}

    def refuse(name):
        def blocked(*args, **kwargs):
            raise TypeError(f"calls the library's {name}; write it yourself")
        return blocked

    def run(f):
        if getattr(f, "__func__", f) in library:
            raise TypeError("that is the library's own function; write yours")
        saved = [(owner, name, owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name))
                 for owner, name in places]
        try:
            for owner, name, _ in saved:
                setattr(owner, name, refuse(name))
            return predicate(f)
        finally:
            for owner, name, value in saved:
                setattr(owner, name, value)
    return run
