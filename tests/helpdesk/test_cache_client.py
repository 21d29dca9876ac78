"""The Redis cache reuses one ``redis.Redis`` client per connection pool (issue #20: Django's client
builds a new one, with its response callbacks, on every cache call)."""

from helpdesk.cache import SafeRedisCache


def test_one_redis_client_per_pool_is_reused():
    cache = SafeRedisCache("redis://127.0.0.1:6399/15", {})  # no connection is made to build a client
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is first
    assert cache._cache.get_client("c", write=True) is first  # one server: reads and writes share it
    assert first.connection_pool is cache._cache._get_connection_pool(False)
