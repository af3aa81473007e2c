"""OPC UA condition monitoring: plant simulator, client thread, historian, rule monitor."""
