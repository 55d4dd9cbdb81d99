// xlcnn's ribbon has one button, which opens the task pane (ShowTaskpane in manifest.xml):
// no ribbon button runs a function, so nothing is associated here (this file replaces
// xlwings-server's example, which associated a "Hello World" script xlcnn does not define).
