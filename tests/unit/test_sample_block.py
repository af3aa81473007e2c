"""The UI's hand-off of a tick's samples: one block of numpy columns, grouped per tag."""

from __future__ import annotations

import math

from desktop.domain.condition import Quality, Sample
from desktop.plant.buffer import SampleBlock, SampleBuffer


def test_every_sample_drained_reaches_the_block_in_order_per_tag_with_gaps_as_nan():
    buffer = SampleBuffer()
    buffer.put_batch([Sample(7, 10.0, 1.0, Quality.GOOD), Sample(3, 10.5, 30.0, Quality.GOOD)])
    buffer.put_batch([Sample(7, 11.0, None, Quality.BAD), Sample(7, 12.0, 3.0, Quality.GOOD)])
    buffer.put_batch([Sample(3, 11.5, 31.0, Quality.GOOD)])
    block = buffer.drain_block()
    assert len(block) == 5
    assert len(buffer) == 0
    assert block.tags() == [3, 7]
    ts, values = block.series(7)
    assert ts.tolist() == [10.0, 11.0, 12.0]
    assert values[0] == 1.0
    assert math.isnan(values[1])
    assert values[2] == 3.0
    assert [a.tolist() for a in block.series(3)] == [[10.5, 11.5], [30.0, 31.0]]
    assert [len(a) for a in block.series(5)] == [0, 0]


def test_latest_is_each_tags_newest_value_skipping_gaps():
    block = SampleBlock.of(
        [
            Sample(2, 1.0, 4.0, Quality.GOOD),
            Sample(1, 1.0, 9.0, Quality.GOOD),
            Sample(2, 2.0, 5.0, Quality.GOOD),
            Sample(2, 3.0, None, Quality.CONNECTION_LOST),
            Sample(4, 3.0, None, Quality.BAD),
        ]
    )
    assert block.latest() == {1: 9.0, 2: 5.0}
    assert SampleBlock.of([]).latest() == {}
