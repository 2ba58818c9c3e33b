"""The products service: catalog, embeddings, vector and keyword search, recommendations."""
