"""The emulator's realtime half: the Azure realtime WebSocket (preview and GA) with local speech models."""
