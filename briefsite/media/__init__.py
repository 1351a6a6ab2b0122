"""Media: the files briefs show and attach, images made responsive and stripped of metadata, share images."""
