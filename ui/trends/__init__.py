"""Live trends of OPC UA tags: the bridge from the sample buffer and the trends panel."""
