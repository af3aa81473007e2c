"""The asset panel: hierarchy tree, and the selected asset's history, costs and reliability."""
