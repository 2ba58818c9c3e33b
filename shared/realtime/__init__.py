"""The Realtime wire protocol shared by the emulator and store_realtime: typed events, GA translation."""
