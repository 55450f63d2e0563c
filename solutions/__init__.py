"""Reference solutions of every exercise of the course, one module per notebook (``solutions/ch00.py`` ...).

Open these only after trying an exercise: the checker's hint is meant to be enough. Each function here is
checked by ``tests/test_exercises_chNN.py`` (the checker must accept it), and the open exercises carry their
expected outcome in the docstring, with code that reproduces it.
"""
