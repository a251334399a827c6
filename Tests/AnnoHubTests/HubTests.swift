import AnnoHub
