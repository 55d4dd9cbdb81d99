"""The results sheet: CIFAR-10, the declared experiments, Keras models, training and Table 1."""
