"""What every service of the store uses: settings, the Azure OpenAI client, telemetry, defaults."""
