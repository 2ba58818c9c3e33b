"""store_realtime: the store's web page, the realtime voice relay and the shopping tools."""
