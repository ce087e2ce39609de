"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""


def events(solution, samples, **options):
    return [tuple(event) for event in solution.convert(samples, **options)]


def test_example_level1_the_conversion(solution):
    samples = [
        (0, ["main"]),
        (10, ["main", "parse"]),
        (20, ["main", "parse", "read"]),
        (30, ["main", "eval"]),
        (40, []),
        (50, ["main"]),
    ]
    assert events(solution, samples) == [
        ("start", 0, "main"),
        ("start", 10, "parse"),
        ("start", 20, "read"),
        ("end", 30, "read"),
        ("end", 30, "parse"),
        ("start", 30, "eval"),
        ("end", 40, "eval"),
        ("end", 40, "main"),
        ("start", 50, "main"),
    ]


def test_example_level2_recursion_and_deep_stacks(solution):
    samples = [
        (0, ["main", "fib"]),
        (1, ["main", "fib", "fib"]),
        (2, ["main", "fib", "fib", "fib"]),
        (3, ["main", "fib", "log"]),
        (4, ["main", "log", "fib"]),
    ]
    assert events(solution, samples) == [
        ("start", 0, "main"),
        ("start", 0, "fib"),
        ("start", 1, "fib"),
        ("start", 2, "fib"),
        ("end", 3, "fib"),
        ("end", 3, "fib"),
        ("start", 3, "log"),
        ("end", 4, "log"),
        ("end", 4, "fib"),
        ("start", 4, "log"),
        ("start", 4, "fib"),
    ]


def test_example_level3_noise_filter(solution):
    samples = [
        (0, ["main"]),
        (1, ["main", "gc", "mark"]),
        (2, ["main", "work"]),
        (3, ["main", "work", "hash"]),
        (4, ["main", "work"]),
        (5, ["main", "work"]),
        (6, ["main"]),
        (7, ["main", "io"]),
    ]
    assert events(solution, samples, min_samples=2) == [
        ("start", 0, "main"),
        ("start", 2, "work"),
        ("end", 6, "work"),
    ]


def test_example_level4_minimum_duration_and_unsorted_input(solution):
    samples = [
        (30, ["main", "b"]),
        (0, ["main"]),
        (10, ["main", "a"]),
        (12, ["main"]),
        (50, ["main", "c"]),
        (30, ["main", "b", "x"]),
        (45, ["main"]),
    ]
    assert events(solution, samples, min_duration=5) == [
        ("start", 0, "main"),
        ("start", 30, "b"),
        ("start", 30, "x"),
        ("end", 45, "x"),
        ("end", 45, "b"),
    ]
    assert events(solution, samples, min_samples=2, min_duration=5) == [
        ("start", 0, "main"),
        ("start", 30, "b"),
        ("end", 45, "b"),
    ]
