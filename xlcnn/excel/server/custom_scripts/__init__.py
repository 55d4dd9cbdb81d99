"""No custom scripts: xlcnn only provides functions."""
