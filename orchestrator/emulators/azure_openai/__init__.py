"""Offline stand-in for Azure OpenAI: the REST embeddings and chat completions protocols."""

from orchestrator.emulators.azure_openai.app import create_app
from orchestrator.emulators.azure_openai.settings import EmulatorSettings

__all__ = ["EmulatorSettings", "create_app"]
