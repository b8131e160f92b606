"""Quality figures kept from run to run: coverage per package (`make test`) and code-quality figures with
their limits (`make quality`). Development tooling, so it lives beside bench/, not in the installed app."""
