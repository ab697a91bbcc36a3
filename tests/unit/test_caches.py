"""fs_service.caches: bounded LRU with explicit keys, counted, listed by name."""
from __future__ import annotations

from fs_service import caches
from fs_service.caches import Cache, TokenCache
from fs_service.callplan.extension_call import plan_extension
from tests.unit.test_callplan_extension import ROUTING, ext
from tests.unit.test_dialplan_render import OPTIONS
from xml_curl.dialplan import render


def test_lookup_and_put_count_hits_and_misses():
    cache: Cache[tuple[int, str], str] = Cache("test.counts", 4)
    assert cache.lookup((1, "t1")) is None
    cache.put((1, "t1"), "one")
    assert cache.lookup((1, "t1")) == "one"
    assert (cache.hits, cache.misses, cache.evictions, len(cache)) == (1, 1, 0, 1)


def test_the_least_recently_used_entry_goes_first_when_full():
    cache: Cache[str, int] = Cache("test.lru", 2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.lookup("a") == 1  # "a" is now the young one: "b" goes next
    cache.put("c", 3)
    assert cache.held("b") is None and cache.held("a") == (None, 1) and cache.held("c") == (None, 3)
    assert cache.evictions == 1 and len(cache) == 2 == cache.bound


def test_get_or_build_builds_once_per_key_and_keeps_no_none():
    cache: Cache[str, object] = Cache("test.build", 8)
    built: list[str] = []

    def build(value):
        return lambda: built.append(value) or value

    assert cache.get_or_build("k", build("v")) == "v"
    assert cache.get_or_build("k", build("other")) == "v"
    assert cache.get_or_build("none", lambda: None) is None and cache.held("none") is None
    assert built == ["v"]


def test_a_new_token_is_never_answered_from_the_old_entry():
    versions = {"acct": "first"}
    rebuilt: list[int] = []

    def build(account_id: int) -> str:
        rebuilt.append(account_id)
        return versions["acct"]

    cache = TokenCache("test.tokens", build, 8)
    assert cache.get(7, "t1") == "first"
    versions["acct"] = "second"  # committed with a new token
    assert cache.get(7, "t1") == "first"  # still the old token: the copy is still exact
    assert cache.get(7, "t2") == "second"
    assert cache.cache.held(7) == ("t2", "second") and len(cache.cache) == 1  # replaced, not piled up
    assert rebuilt == [7, 7] and (cache.cache.hits, cache.cache.misses) == (1, 2)


def test_a_versioned_entry_answers_only_its_version():
    cache: Cache[int, str] = Cache("test.versions", 4)
    cache.put(1, "v1", version="t1")
    assert cache.lookup(1, "t1") == "v1" and cache.lookup(1, "t2") is None and cache.lookup(1) is None
    assert (cache.hits, cache.misses) == (1, 2)


def test_an_empty_token_is_never_kept():
    rebuilt: list[int] = []
    cache = TokenCache("test.no_token", lambda key: rebuilt.append(key) or key, 8)
    assert cache.get(3, None) == 3 and cache.get(3, "") == 3
    assert rebuilt == [3, 3] and len(cache.cache) == 0 and cache.cache.misses == 2


def test_stats_list_every_cache_by_name_with_one_line_each():
    cache: Cache[str, int] = Cache("test.listed", 3)
    cache.put("a", 1)
    cache.lookup("a")
    cache.lookup("b")
    line = next(found.line() for found in caches.stats() if found.name == "test.listed")
    assert line == "CACHE test.listed hits=1 misses=1 evictions=0 size=1/3"
    assert line in caches.report_lines()


def test_the_planner_caches_are_registered():
    names = {found.name for found in caches.stats()}
    assert {"callplan.account_views", "callplan.routing", "callplan.number_rules", "callplan.extension_plans",
            "callplan.first_plans", "blacklist.matchers"} <= names


def test_plan_memo_keys_are_values_not_object_identities():
    first = plan_extension(ext(ring_seconds=21), ROUTING)
    again = plan_extension(ext(ring_seconds=21), ROUTING)  # another object, the same settings
    changed = plan_extension(ext(ring_seconds=22), ROUTING)
    assert again is first and first.key is not None and changed is not first
    assert render(again, "acme.test", OPTIONS) is render(first, "acme.test", OPTIONS)
    assert render(changed, "acme.test", OPTIONS) != render(first, "acme.test", OPTIONS)
