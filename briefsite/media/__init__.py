"""Images and share images: what is published for a picture, made with Pillow and cached by content."""
