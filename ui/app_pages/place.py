"""Page under construction (issue 9)."""

import streamlit as st

st.title("place")
