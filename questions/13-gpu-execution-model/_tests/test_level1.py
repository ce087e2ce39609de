"""Level 1 hidden tests: sectors, lines and load efficiency of one warp-wide access."""

import pytest


def lanes(first, stride, active=32):
    """Lane i at first + i * stride for the first ``active`` lanes, the rest inactive."""
    return [first + i * stride if i < active else None for i in range(32)]


def model(addresses, size):
    """A trusted count: every byte of every active lane, grouped by sector and line."""
    touched = {addr + b for addr in addresses if addr is not None for b in range(size)}
    sectors = {byte // 32 for byte in touched}
    lines = {byte // 128 for byte in touched}
    efficiency = len(touched) / (32 * len(sectors)) if sectors else 0.0
    return (len(sectors), len(lines)), efficiency


def lcg(seed):
    state = seed
    while True:
        state = (state * 6364136223846793005 + 1442695040888963407) % 2 ** 64
        yield state >> 33


# -- sectors and lines -------------------------------------------------------------------------


def test_unit_stride_floats_fill_one_line(solution):
    assert solution.coalesce(lanes(0, 4)) == (4, 1)
    assert solution.coalesce(lanes(4096, 4)) == (4, 1)


def test_strided_floats_touch_a_sector_per_lane(solution):
    assert solution.coalesce(lanes(0, 32)) == (32, 8)
    assert solution.coalesce(lanes(0, 64)) == (32, 16)
    assert solution.coalesce(lanes(0, 12)) == (12, 3)


def test_wide_accesses_of_8_and_16_bytes(solution):
    assert solution.coalesce(lanes(0, 8), 8) == (8, 2)
    assert solution.coalesce(lanes(0, 16), 16) == (16, 4)
    assert solution.coalesce(lanes(256, 32), 16) == (32, 8)


def test_sectors_and_lines_are_counted_separately(solution):
    # Four floats, one in each sector of a single line, then one per line.
    assert solution.coalesce([0, 32, 64, 96] + [None] * 28) == (4, 1)
    assert solution.coalesce([0, 128, 256, 384] + [None] * 28) == (4, 4)


def test_offset_base_straddles_an_extra_sector_and_line_edge(solution):
    assert solution.coalesce(lanes(4, 4)) == (5, 2)
    assert solution.coalesce(lanes(96, 4)) == (4, 2)
    assert solution.coalesce(lanes(8, 8), 8) == (9, 3)


def test_lanes_on_the_same_address_share_a_sector_edge(solution):
    assert solution.coalesce([640] * 32) == (1, 1)
    assert solution.coalesce([0, 4] * 16) == (1, 1)


def test_inactive_lanes_take_no_part(solution):
    assert solution.coalesce(lanes(1024, 4, active=16)) == (2, 1)
    assert solution.coalesce([None] * 31 + [4096]) == (1, 1)
    # Inactive lanes must not be taken for address 0.
    assert solution.coalesce([None] * 16 + lanes(512, 4, active=16)[:16]) == (2, 1)


def test_all_lanes_inactive_edge(solution):
    assert solution.coalesce([None] * 32) == (0, 0)
    assert solution.coalesce([None] * 32, 16) == (0, 0)
    assert solution.load_efficiency([None] * 32) == 0.0


def test_scattered_accesses_match_the_model(solution):
    numbers = lcg(7)
    for size in (4, 8, 16):
        for _ in range(60):
            spread = next(numbers) % 4096 + size
            addresses = []
            for _lane in range(32):
                value = next(numbers)
                if value % 5 == 0:
                    addresses.append(None)
                else:
                    addresses.append((value // 5) % spread // size * size)
            assert solution.coalesce(addresses, size) == model(addresses, size)[0], addresses


# -- efficiency --------------------------------------------------------------------------------


def test_efficiency_of_common_patterns(solution):
    assert solution.load_efficiency(lanes(0, 4)) == pytest.approx(1.0)
    assert solution.load_efficiency(lanes(0, 8)) == pytest.approx(0.5)
    assert solution.load_efficiency(lanes(0, 128)) == pytest.approx(0.125)
    assert solution.load_efficiency(lanes(0, 16), 16) == pytest.approx(1.0)
    assert solution.load_efficiency(lanes(4, 4)) == pytest.approx(0.8)


def test_efficiency_counts_a_repeated_address_once_edge(solution):
    assert solution.load_efficiency([0] * 32) == pytest.approx(0.125)
    assert solution.load_efficiency([0] * 32, 16) == pytest.approx(0.5)
    assert solution.load_efficiency([0, 4] * 16) == pytest.approx(0.25)
    assert solution.load_efficiency(lanes(0, 4, active=8)) == pytest.approx(1.0)


def test_efficiency_matches_the_model(solution):
    numbers = lcg(11)
    for size in (4, 8, 16):
        for _ in range(30):
            addresses = [next(numbers) % 512 // size * size if next(numbers) % 3 else None
                         for _lane in range(32)]
            assert solution.load_efficiency(addresses, size) == pytest.approx(
                model(addresses, size)[1]), addresses


# -- invalid accesses --------------------------------------------------------------------------


def test_a_warp_has_exactly_32_lanes_edge(solution):
    with pytest.raises(ValueError):
        solution.coalesce([0] * 31)
    with pytest.raises(ValueError):
        solution.coalesce([0] * 33)
    with pytest.raises(ValueError):
        solution.load_efficiency([])


def test_unsupported_access_size_edge(solution):
    for size in (0, 1, 2, 3, 12, 32):
        with pytest.raises(ValueError):
            solution.coalesce(lanes(0, 32), size)
        with pytest.raises(ValueError):
            solution.load_efficiency(lanes(0, 32), size)


def test_misaligned_or_negative_address_edge(solution):
    with pytest.raises(ValueError):
        solution.coalesce([2] + [None] * 31)
    with pytest.raises(ValueError):
        solution.coalesce([*lanes(0, 8)[:31], 4], 8)
    with pytest.raises(ValueError):
        solution.coalesce([None] * 31 + [24], 16)
    with pytest.raises(ValueError):
        solution.coalesce([-4] + [None] * 31)
    with pytest.raises(ValueError):
        solution.load_efficiency([None] * 31 + [6])
