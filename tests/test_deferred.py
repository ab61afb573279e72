"""core/deferred.py: a template value made only when its page is rendered."""

from research.core.deferred import Deferred, resolved


def test_resolved_makes_each_deferred_value_once_and_keeps_the_others():
    calls = []

    def make():
        calls.append(1)
        return {"made": True}

    values = {"prepared": Deferred(make), "page": "p", "n": 3}
    assert calls == []  # nothing is made before it is asked for
    out = resolved(values)
    assert out == {"prepared": {"made": True}, "page": "p", "n": 3}
    assert len(calls) == 1
    plain = {"page": "p"}
    assert resolved(plain) is plain
