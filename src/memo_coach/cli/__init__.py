"""The command-line door: one module per command group, each a thin call into a capability."""
