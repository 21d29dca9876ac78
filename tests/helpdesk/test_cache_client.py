"""The Redis cache reuses one ``redis.Redis`` client per connection pool (issue #20: Django's client
builds a new one, with its response callbacks, on every cache call)."""

from helpdesk.cache import SafeRedisCache


def test_one_redis_client_per_pool_is_reused():
    cache = SafeRedisCache("redis://127.0.0.1:6399/15", {})  # no connection is made to build a client
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is first
    assert cache._cache.get_client("c", write=True) is first  # one server: reads and writes share it
    assert first.connection_pool is cache._cache._get_connection_pool(False)


def _live_cache():
    import os

    import pytest

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs REDIS_URL")
    return SafeRedisCache(url, {"KEY_PREFIX": "test-set-many"})


def test_set_many_of_many_keys_is_one_script_call_with_the_expiry():
    """Many keys with an expiry (the band job retires 2,000 tickets' fragments at once): one EVAL, not
    an MSET and an EXPIRE per key; the values and expiry as Django's ``set_many`` writes them."""
    from unittest import mock

    cache = _live_cache()
    data = {f"k{i}": f"v{i}" for i in range(50)} | {"n": 7, "obj": {"a": [1]}}
    client = cache._cache.get_client(write=True)
    try:
        with mock.patch.object(type(client), "pipeline", side_effect=AssertionError("pipelined")):
            assert cache.set_many(data, 600) == []
        assert cache.get_many(list(data)) == data
        ttl = client.ttl(cache.make_key("k0"))
        assert 590 < ttl <= 600
        cache.set_many({f"k{i}": i for i in range(3)}, None)  # few keys, no expiry: Django's way
        assert client.ttl(cache.make_key("k1")) == -1 and cache.get("k2") == 2
        cache.set_many({f"k{i}": i for i in range(30)}, 0)  # expired at once, as with Django's
        assert cache.get_many([f"k{i}" for i in range(30)]) == {}
    finally:
        cache.delete_many([*data, "k1", "k2"])


def test_keys_are_made_without_the_per_key_memcached_check():
    """A sweep's chunk deletes its 10,000 fragment generations at once: Django's portability check (a regex
    and a generator per key, for memcached) cost 20–30 ms of it. Redis takes any key; the key is the same."""
    import warnings

    from django.core.cache.backends.base import CacheKeyWarning

    cache = SafeRedisCache("redis://127.0.0.1:6399/15", {"KEY_PREFIX": "p"})
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        assert cache.make_and_validate_key("ws:ev:1 with space") == "p:1:ws:ev:1 with space"
        assert cache.make_and_validate_key("k", version=3) == cache.make_key("k", version=3)
