"""The explorer's pages, one file a page; Streamlit runs each as a script (``st.Page``)."""
