# In the app's root, with a checkout of Paved (or of your fork) next to the app:
cp -r ../paved/templates paved-templates
